"""formfiles"""
