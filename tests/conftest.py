"""Make ``ansible_collections.isotools.shop_sync`` importable from the working tree.

`make venv` links the repo as build/collections/ansible_collections/isotools/shop_sync; the
same layout ansible-test and ansible-playbook (through ansible.cfg) use.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COLLECTIONS = REPO / "build" / "collections"
LINK = COLLECTIONS / "ansible_collections" / "isotools" / "shop_sync"

if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    LINK.symlink_to(Path("../../../.."), target_is_directory=True)
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
