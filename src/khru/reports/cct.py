"""The Equitable Education Fund's poverty-screening list (cct): declared once the welfare selectors exist."""

from khru.reports.catalog import Report

REPORTS: list[Report] = []
