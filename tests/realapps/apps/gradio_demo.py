"""A Gradio app's own server (what ``demo.launch()`` serves): ``gr.routes.App.create_app``
on a small Blocks interface, with analytics off (no network)."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402


def greet(name: str) -> str:
    return f"Hello {name}!"


with gr.Blocks() as demo:
    name = gr.Textbox(label="Name")
    output = gr.Textbox(label="Greeting")
    gr.Button("Greet").click(greet, name, output, api_name="greet")

app = gr.routes.App.create_app(demo)
