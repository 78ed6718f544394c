# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How every shop_sync action chooses the host it reads and writes."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  allow_unencrypted_password:
    description:
      - Send a task password (C(principal.password)) over a WinRM connection that does not
        encrypt its messages (plain C(http) with basic authentication, or with message
        encryption turned off).
      - By default such a connection is refused before anything is written, since the password
        would travel in clear text. Use C(https), or NTLM/Kerberos/CredSSP with message
        encryption, instead of setting this.
      - Ignored by the directory host and when no password is sent.
    type: bool
    default: false
attributes:
  # What every action that reads or writes a host is: its own action plugin, run on the
  # controller for one host at a time, the host a Windows one.
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  platform:
    platforms: windows
notes:
  - The host is chosen from inventory variables, not from module options.
    C(shop_sync_backend=winrm) (the default, also used when the variable is not set) reads and
    writes the Windows host through its own Ansible connection (C(winrm) or C(psrp)), running the
    collection's thin PowerShell module C(win_sync_host) there.
  - C(shop_sync_backend=directory) reads and writes an offline Windows image on the controller
    instead; C(shop_sync_directory_root) is then required and names that image's folder (absolute,
    or relative to the playbook's directory). C(ROOT/C/...) stands for drive C(C:),
    C(ROOT/C/Windows/System32/Tasks/...) holds the registered tasks' XML, and every call is
    journaled in C(ROOT/journal.jsonl). It serves tests, demos and planning against a copy of a
    real server's task store.
  - Whatever the number of tasks, a run reads the host once and writes it at most once.
  - All validation, comparison and planning happen on the controller, so a wrong option fails
    the task before the host is contacted.
"""
