"""Every write of the network app: meetings.py (registrations, attendance, minutes), discussions.py
(threads, posts, moderation, subscriptions, read markers), library.py (documents)."""
