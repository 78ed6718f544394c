#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sync_report
short_description: Write the drift report of the sync jobs (HTML, Markdown, JUnit XML)
version_added: 0.1.0
description:
  - Turns the result of M(isotools.shop_sync.win_sync_jobs) (in check mode, or an enforcing
    run) of every host into a report, and writes it on the controller. That result's one host
    read also gives the last runs and the tasks the inventory does not list; a result of
    M(isotools.shop_sync.win_sync_task_info) may be given instead for those (O(hosts[].info)).
  - C(report.html) is a self-contained page (no script, no external file) with the counts, a
    hosts x jobs matrix (in sync, drifted with what differs, missing, not yet taken over,
    unmanaged extra, orphaned, will be pruned, accepted, corrected, error, last run failed) and
    each host's details.
  - A task of the managed folder that the inventory does not list is an B(orphan) when this
    collection registered it (it carries the ownership marker), reported C(will be pruned) when
    the check ran with prune on and C(orphaned, prune is off) otherwise. A task without the
    marker was made by hand and is an C(unmanaged extra). Each is its own finding in every output.
  - A job the inventory declares whose task is on the host without the marker (made by hand) is
    C(not yet taken over), never C(in sync); the next deploy registers it again with the marker
    (its other changes, if any, are listed).
  - C(summary.md) is the same in Markdown; C(junit.xml) has one test suite per host and one test
    case per job, drift and failed last runs being failures, for CI and AWX.
  - C(hosts.json) holds the per-host results the three are made of, field for field. With
    O(merge), the reports of the slices of a sliced drift job (AWX job slicing) are merged into
    the one report of the fleet from their C(hosts.json), the same files an unsliced run of the
    same fleet writes but for the time it was made (the oldest slice's).
  - Every report lists its hosts by name (letter case aside), as AWX orders an inventory's hosts
    before it slices them.
  - Every text that comes from a host or the inventory is escaped.
  - This is what the C(isotools.shop_sync.drift) playbook runs once, on the controller, after
    checking every host, and what the C(isotools.shop_sync.report_merge) playbook runs with
    O(merge).
options:
  dest:
    description:
      - The directory the files are written to; created when missing. A relative path is
        taken from the current directory.
    type: path
    required: true
  hosts:
    description:
      - One entry per host checked.
      - One of O(hosts), O(results) and O(merge) is required.
    type: list
    elements: dict
    suboptions:
      host:
        description: The host's inventory name.
        type: str
        required: true
      jobs:
        description:
          - The registered result of M(isotools.shop_sync.win_sync_jobs) for the host (check mode,
            or the run that corrected the drift). A failed or unreachable result is reported as a
            host that could not be checked.
        type: dict
      info:
        description:
          - The registered result of M(isotools.shop_sync.win_sync_task_info) for the managed
            folder, which gives the last run results and the tasks the inventory does not list.
          - Not needed (the C(drift) playbook gives none) - without it they come from the
            C(jobs) result, whose one read returns them (its C(unlisted)).
        type: dict
      accepted_extras:
        description:
          - Names or shell-style patterns (C(*), C(?), C([...]); letter case ignored) of tasks in
            the managed folder that the inventory does not list and that are known and accepted
            (C(shop_sync_accepted_extras)). Such a task is reported C(accepted), never as drift,
            and its last run is not judged.
        type: list
        elements: str
        default: []
  results:
    description:
      - Instead of O(hosts), the registered result of M(isotools.shop_sync.win_sync_jobs) of each
        host checked, by host name, as C(hostvars) holds them; a value that is not a mapping
        (C(none) for a host without a result) is a host that could not be checked.
      - What the C(drift) playbook gives, read from C(hostvars) by the report task itself, so
        that collecting the results costs no task per host.
    type: dict
  accepted_extras:
    description:
      - With O(results), each host's O(hosts[].accepted_extras), by host name
        (C(shop_sync_accepted_extras)); a host not named, or named with C(none), has none.
    type: dict
  enforce:
    description:
      - The C(jobs) results come from a run that corrected the drift (C(shop_sync_enforce=true)),
        so the jobs it changed are reported as corrected.
    type: bool
    default: false
  title:
    description: The title of the report.
    type: str
    default: "Isotools sync jobs: drift report"
  limit:
    description:
      - The run's C(--limit) (C(ansible_limit)), when it checked only part of the inventory. The
        report then says so first in every output, and is written to C(limited/<UTC time>)
        beside O(dest) (C(reports/limited/20261128T060000Z) for O(dest=reports/20261128T060000Z)),
        never to O(dest), so that a limited run never replaces the report of the whole fleet.
    type: str
  fail_on_drift:
    description:
      - List in RV(failures) the hosts with drift (C(shop_sync_fail_on_drift)).
    type: bool
    default: false
  fail_on_failed_runs:
    description:
      - List in RV(failures) the hosts with a job whose last run failed (C(shop_sync_fail_on_failed_runs)).
    type: bool
    default: false
  fail_on_stale:
    description:
      - List in RV(failures) the hosts with a stale job (C(shop_sync_fail_on_stale)) - one with a
        C(max_age) and no successful run within it, or none ever. A job whose freshness is unknown
        (the host's task history is disabled) is reported, never listed.
    type: bool
    default: false
  merge:
    description:
      - Instead of O(hosts), the report folders of the slices of one sliced drift run
        (C(shop_sync_merge_dirs)), each holding the C(hosts.json) its slice wrote, or a folder whose
        folders each hold one (the slices of one sliced job, each in a folder of its own).
      - The slices' mode, title and limit come with their results, so O(enforce) and O(limit)
        cannot be given; slices that differ in them, or two slices with the same host, are
        refused, naming the files.
    type: list
    elements: path
  expect_hosts:
    description:
      - With O(merge), the hosts the fleet's report must cover (the inventory's). One that no
        slice reported (a slice that died before writing its results) is reported as a host that
        could not be checked. Not used when the slices ran with a C(--limit).
    type: list
    elements: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - isotools.shop_sync.controller
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is written; the counts are returned.
notes:
  - A last result counts as a failed run unless it is C(0) (success), C(0x41300) (ready),
    C(0x41301) (running), C(0x41303) (not yet run) or C(0x41325) (queued).
  - Drift is any job that is drifted, missing or not yet taken over, and any unmanaged extra,
    orphaned or will-be-pruned task. Corrected jobs, accepted extras and failed last runs are not drift.
seealso:
  - module: isotools.shop_sync.win_sync_jobs
  - module: isotools.shop_sync.win_sync_task_info
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
# The host is read once: the comparison's result also carries each job's last run and the
# folder's tasks the inventory does not list (its unlisted), so no win_sync_task_info is needed.
- name: Compare a host with the inventory (its one read)
  isotools.shop_sync.win_sync_jobs:
    folder: '\Isotools'
    jobs: "{{ sync_jobs_checked.jobs }}"
  check_mode: true
  # A host that fails or cannot be reached is reported, not dropped.
  ignore_errors: true
  ignore_unreachable: true
  register: shop_sync_check

- name: Keep what this host's check found
  ansible.builtin.set_fact:
    shop_sync_drift:
      host: "{{ inventory_hostname }}"
      jobs: "{{ shop_sync_check }}"
      accepted_extras: "{{ shop_sync_accepted_extras | default([]) }}"

- name: Write one report for every host of the play
  isotools.shop_sync.sync_report:
    dest: "reports/{{ now(utc=true, fmt='%Y%m%dT%H%M%SZ') }}"
    hosts: "{{ ansible_play_hosts_all | map('extract', hostvars, 'shop_sync_drift') | list }}"
  run_once: true
  delegate_to: localhost
  check_mode: false
  register: shop_sync_report

- name: Show where it is
  ansible.builtin.debug:
    msg: "{{ [shop_sync_report.files.html] + shop_sync_report.summary }}"
  run_once: true

# A sliced drift job (AWX job slicing): the fleet's one report from every slice's report folder.
- name: Merge the slices' reports
  isotools.shop_sync.sync_report:
    dest: /srv/shop_sync/reports/production/latest
    merge:
      - /srv/shop_sync/reports/production/slices/41/42
      - /srv/shop_sync/reports/production/slices/41/43
    expect_hosts: "{{ groups['all'] }}"
  delegate_to: localhost
  run_once: true

# With no task per host: each host's registered result, read from hostvars (as drift does).
- name: Write the report of every host of the play from their registered results
  isotools.shop_sync.sync_report:
    dest: "reports/{{ now(utc=true, fmt='%Y%m%dT%H%M%SZ') }}"
    results: >-
      {{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars)
         | map(attribute='shop_sync_check') | map('default', none))) }}
  run_once: true
  delegate_to: localhost
  check_mode: false
"""

RETURN = r"""
failures:
  description:
    - The hosts that fail the run, each with one message listing every reason, for a task that
      fails each host on its own (the C(drift) playbook does). A host or a job that could not be
      checked is always listed; drift, failed last runs and stale jobs with O(fail_on_drift),
      O(fail_on_failed_runs) and O(fail_on_stale).
  returned: always
  type: dict
  sample:
    shop01: "host 'shop01': drift: Synchro Prix (drifted); last run failed: Synchro Stock (exit code 2)"
dest:
  description: The directory the report was written to, absolute.
  returned: always
  type: str
  sample: /srv/awx/projects/shops/reports/20261128T060000Z
files:
  description: The path of each file.
  returned: always
  type: dict
  contains:
    html:
      description: The HTML page.
      type: str
      sample: /srv/awx/projects/shops/reports/20261128T060000Z/report.html
    markdown:
      description: The Markdown summary.
      type: str
      sample: /srv/awx/projects/shops/reports/20261128T060000Z/summary.md
    junit:
      description: The JUnit XML.
      type: str
      sample: /srv/awx/projects/shops/reports/20261128T060000Z/junit.xml
    results:
      description: The per-host results (JSON) a merge of a sliced run reads.
      type: str
      sample: /srv/awx/projects/shops/reports/20261128T060000Z/hosts.json
counts:
  description: How many hosts and jobs are in each state.
  returned: always
  type: dict
  sample:
    hosts: 2
    hosts_with_errors: 0
    jobs: 6
    in_sync: 4
    drifted: 1
    missing: 0
    extra: 1
    corrected: 0
    errors: 0
    failed_runs: 0
    accepted: 0
    orphaned: 0
    will_be_pruned: 0
    not_taken_over: 0
    drift: true
drift:
  description: Whether a job is drifted, missing or not yet taken over, or a task is an unmanaged extra, orphaned or will be pruned.
  returned: always
  type: bool
  sample: true
summary:
  description: The counts, then one line per job that needs a look.
  returned: always
  type: list
  elements: str
  sample:
    - >-
      2 host(s), 6 job(s): 4 in sync, 1 drifted, 0 missing, 1 unmanaged extra, 0 orphaned (prune is off),
      0 will be pruned, 0 corrected, 0 error(s),
      0 last run(s) failed, 0 host(s) not checked, 0 accepted, 0 not yet taken over
    - "shop01 / Synchro Prix: drifted: triggers[daily 02:00].start_boundary: 02:00 -> 03:30"
"""
