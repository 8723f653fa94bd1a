"""A Dash app: Dash's own Flask routes (layout, dependencies, callbacks, assets)."""

import dash
from dash import dcc, html

dash_app = dash.Dash(__name__, url_base_pathname="/")
dash_app.layout = html.Div([dcc.Input(id="in"), html.Div(id="out")])


@dash_app.callback(dash.Output("out", "children"), dash.Input("in", "value"))
def echo(value):
    return value


app = dash_app.server
