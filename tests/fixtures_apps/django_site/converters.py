class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if year < 1900:
            raise ValueError("too early")
        return year

    def to_url(self, value):
        return f"{value:04d}"
