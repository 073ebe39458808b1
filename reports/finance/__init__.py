"""Costs and funding: cost lines and funding sources, with their pages."""
