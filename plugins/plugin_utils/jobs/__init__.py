# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job, from what the user wrote to what a plan takes.

``inventory`` reads a host's ``shop_sync_*`` variables (the role's filters), ``schedule`` turns
the short schedule forms into triggers, ``desired`` checks the jobs ``win_sync_jobs`` is given
and makes each a :class:`~ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan.DesiredJob`,
``owned_folders`` is the rule for the folders the collection may write in, and ``rules`` the
one set of a job's rules that ``inventory`` and ``desired`` both apply.
"""
