"""The data folders (templates/, workbook/, macros/) mapped into the package at build time."""
