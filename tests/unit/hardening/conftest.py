# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hardening suites drive the actions through the action tests' harness (a real directory
host on disk): make ``action_harness`` importable from here."""

from __future__ import annotations

import sys
from pathlib import Path

_ACTION_TESTS = Path(__file__).resolve().parents[1] / "plugins" / "action"
if str(_ACTION_TESTS) not in sys.path:
    sys.path.insert(0, str(_ACTION_TESTS))
