"""Alert delivery: the outbox relay, webhook (Standard Webhooks) and email channels.

Imports storage and configuration only.
"""
