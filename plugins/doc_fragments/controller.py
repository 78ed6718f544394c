# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every shop_sync action that never contacts a host is."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
attributes:
  # Its own action plugin, run on the controller for one host at a time (sync_report once for
  # the play's hosts, by run_once), on the controller's own platform.
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  diff_mode:
    support: none
  platform:
    platforms: posix
    details:
      - Runs on the controller only; it never contacts the host it runs for.
"""
