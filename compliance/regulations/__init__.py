"""Regulatory knowledge as code: pure Python, no Django import (see DESIGN section 5)."""
