"""Static analysis of route tables (overlap, shadowing, unreachable rules)."""
