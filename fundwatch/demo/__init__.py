"""The bundled demo behind `fundwatch demo`: a local news site and feed with articles written
for it (`articles.yaml`), a webhook receiver, the demo catalog, and the command's flow."""
