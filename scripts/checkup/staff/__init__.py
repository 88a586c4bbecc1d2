"""Staff: spreadsheets in and out, canonical formatting, text edits, CODEOWNERS and the clerk reference."""
