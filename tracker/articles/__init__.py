"""Reading articles: intake of text, HTML and Markdown files, boilerplate, document metadata, sentences."""
