"""The performance harness behind `make bench`: a national-scale dataset, pages, PDFs, budget."""
