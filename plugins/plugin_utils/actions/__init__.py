# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the action plugins share, between Ansible and the core.

``select`` picks the host a task runs against from its inventory variables, ``support`` is the
``run()`` they share (``HostAction``) and turns arguments and errors into Ansible's terms,
``inert`` keeps host text away from the templar, and ``controller`` is the controller's files
the core asks for (a path from where ansible-playbook runs, backup files).
The use case they call is ``plugin_utils/sync.py``; the host itself is ``hosts/``.
"""
