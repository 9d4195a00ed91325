"""Exports of person-level lists as spreadsheets (CSV, XLSX): what is exported, in scope, and who did it."""
