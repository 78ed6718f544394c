#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_host
short_description: Internal host side of the isotools.shop_sync action plugins
version_added: 0.1.0
description:
  - Internal use only. Do not call this module directly; the actions
    M(isotools.shop_sync.win_sync_task), M(isotools.shop_sync.win_sync_jobs) and
    M(isotools.shop_sync.win_sync_task_info) run it through the host's own connection.
  - Serves one request of the collection's host contract (C(docs/host-contract.md)) on a
    Windows host, with the COM C(Schedule.Service) API and .NET file I/O. C(read) returns
    the tasks of some folders with their XML and hashes, script files with their hashes and
    the SIDs that may write them, and account SIDs; C(apply) writes a list of changes, each
    one checked against the hash the controller planned from; C(run) starts tasks and can
    wait for them; C(history) reads the C(Microsoft-Windows-TaskScheduler/Operational) log.
  - Every decision (validation, comparison, planning, reporting) is taken on the controller;
    this module only reads and writes.
options:
  request:
    description:
      - Internal use only.
      - The JSON text of one host contract request (C(op) is C(read), C(apply), C(run) or
        C(history)), without passwords.
      - Kept out of the Application event log that Ansible.Basic writes each module's
        arguments to (it holds whole scripts and task XML), and shown as
        C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) in the module's C(invocation).
    type: str
    required: true
  passwords:
    description:
      - Internal use only.
      - The passwords of the C(register_task) changes of an C(apply) request, one entry per
        change. Never echoed back.
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - The id of the C(register_task) change the password belongs to.
        type: str
        required: true
      password:
        description:
          - The password to register the task's account with.
        type: str
        required: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: partial
    details:
      - Check mode is decided by the actions on the controller, which never send an C(apply) or
        a C(run) in check mode; the module refuses either (it fails, writing and starting
        nothing). C(read) and C(history) read as usual.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Times are ISO 8601 host-local times with their UTC offset (C(2026-11-28T06:00:00+01:00)),
    written without any locale formatting.
  - Requires Windows PowerShell 5.1 (Windows Server 2012 R2 and later).
seealso:
  - name: The host contract
    description: The JSON requests and responses this module serves.
    link: https://github.com/isotools/shop_sync/blob/main/docs/host-contract.md
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
# Internal use only: the collection's actions build the request. This is what they send.
- name: Read the tasks of the \Isotools folder (what the actions do first)
  isotools.shop_sync.win_sync_host:
    request: '{"op": "read", "folders": [{"path": "\\Isotools", "recurse": false}]}'
  register: host_read
"""

RETURN = r"""
response:
  description:
    - The contract response to the request, as described in C(docs/host-contract.md).
    - Its keys depend on C(op); C(op) is always present.
  returned: success
  type: dict
  sample:
    op: apply
    results:
      - id: c1
        status: applied
        message: null
        error_code: null
      - id: c5
        status: applied
        message: null
        error_code: null
        task_hash: 5f0c2e7d0bd1a4c1f8e0a3a54b8e2d0c0b6f2b7e3c1d9a8b7c6d5e4f3a2b1c0d
"""
