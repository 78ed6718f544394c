#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_snapshot
short_description: Copy what a deploy compares against from a host into a directory-host image
version_added: 0.2.0
description:
  - Reads the host exactly as M(isotools.shop_sync.win_sync_jobs) would for the same O(jobs) (one
    read) and writes what it read into O(dest) on the controller, as a directory host
    (C(shop_sync_backend=directory)), that is the tasks of O(folder) and of every folder a job names,
    the jobs' scripts and folders with their owners and DACLs (C(acl.json)), the accounts the jobs
    and the tasks name with their SIDs (C(accounts.json)), and the host's name, version and time
    zone (C(host.json)).
  - A drift of a proposed inventory against the image then plans what it would plan against the
    host, with no connection and no credentials to it; its C(summary.md) is what a reviewer reads
    in a merge request. The C(isotools.shop_sync.snapshot) playbook runs this for every host.
  - No password is ever in the image; a host cannot give one back, and none is read.
  - Text from the host is written as it came (task XML as Windows stores it, scripts byte for
    byte), never interpreted. A task or file whose path would lead out of O(dest) or names what
    Windows refuses, a path reached through a link or junction, a file the host could not read,
    a script over 1 MiB and a task that could not be read are left out, each listed in
    RV(left_out) and warned about.
  - Runs (last results, history) and files a deploy of O(jobs) does not compare are not copied;
    a job the proposed inventory adds finds its script absent in the image unless a job of
    O(jobs) named it.
  - The jobs are validated as M(isotools.shop_sync.win_sync_jobs) validates them, before the host
    is contacted. Nothing is planned, and nothing is written on the host.
options:
  jobs:
    description:
      - The host's jobs, as M(isotools.shop_sync.win_sync_jobs) takes them (the role's translation
        of C(shop_sync_jobs)). Their passwords are not used and never returned.
    type: list
    elements: dict
    required: true
  folder:
    description:
      - The managed Task Scheduler folder, as for M(isotools.shop_sync.win_sync_jobs).
    type: str
    default: '\Isotools'
  root:
    description:
      - The folder the collection owns on the host, as for M(isotools.shop_sync.win_sync_jobs).
    type: str
  secure_acl:
    description:
      - As for M(isotools.shop_sync.win_sync_jobs); it decides which accounts the read resolves.
    type: bool
    default: true
  dest:
    description:
      - The image's folder on the controller (absolute, or relative to the playbook's directory).
      - It must be new, empty, or an earlier snapshot (it holds C(snapshot.json)), which is then
        replaced as a whole; any other folder is refused, never emptied.
    type: path
    required: true
extends_documentation_fragment:
  - isotools.shop_sync.host
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - Reads the host and writes the image as usual; the host is never changed.
  diff_mode:
    support: N/A
    details:
      - Nothing changes on the host, so there is nothing to diff.
seealso:
  - module: isotools.shop_sync.win_sync_jobs
  - module: isotools.shop_sync.sync_report
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Keep what a deploy of the host's jobs compares against
  isotools.shop_sync.win_sync_snapshot:
    folder: '\Isotools'
    root: 'D:\Isotools\Synchro_prod\shop01'
    jobs: "{{ sync_jobs_checked.jobs }}"
    dest: "/srv/snapshots/{{ inventory_hostname }}"
  delegate_to: localhost
  register: snapshot

# Later, anywhere, with no connection to the host: drift against the image.
#   ansible-playbook isotools.shop_sync.drift -i inventory.yml -e ansible_connection=local
#     -e shop_sync_backend=directory -e 'shop_sync_directory_root=/srv/snapshots/{{ inventory_hostname }}'
"""

RETURN = r"""
dest:
  description: The image's folder on the controller.
  returned: success
  type: str
  sample: /srv/snapshots/shop01
counts:
  description: What the image holds, and how many things were left out.
  returned: success
  type: dict
  sample: {tasks: 4, files: 3, directories: 5, accounts: 1, left_out: 0}
left_out:
  description: What the read gave that the image does not hold, and why (one line each).
  returned: always
  type: list
  elements: str
  sample: ["'D:\\Isotools\\Synchro_prod\\shop01\\Big\\synchro.bat' is over 1 MiB, the read gives no content: not copied"]
"""
