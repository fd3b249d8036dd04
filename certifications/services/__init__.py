"""Write services: progress and follows (progress.py); account, feed, sharing (account.py)."""
