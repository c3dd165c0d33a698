"""Khru (ครู): the school information system that gives Thai teachers their time back."""
