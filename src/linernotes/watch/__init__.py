"""Follow and get notified: follows and their inbox, change events, matching, delivery, trending.

The catalog's triggers log every credit and handle created or removed (change_log); events.py
groups those rows into events, match.py tells the followers, delivery sends what pushes.
"""
