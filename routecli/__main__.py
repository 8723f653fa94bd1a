"""``python -m routecli``."""

from routecli.cli import main

if __name__ == "__main__":
    main()
