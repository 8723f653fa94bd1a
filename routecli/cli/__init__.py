def main():
    raise SystemExit("routecli CLI under construction")
