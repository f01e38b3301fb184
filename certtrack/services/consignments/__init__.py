"""Consignment certificates: requests, the gate, inspection, issue and verification."""
