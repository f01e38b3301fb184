"""Demo data and documents for `make run` and for reviewing the print layouts; never production.

Only the command line imports this package: services, pdf, web and models never do.
"""
