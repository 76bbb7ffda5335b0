"""The rule registry: an explicit tuple, sorted by code (a test checks it against the modules)."""

from __future__ import annotations

from winrmlint.rules import (
    access,
    authentication,
    execution_policy,
    firewall,
    inputs,
    listeners,
    proxy,
    quotas,
    service,
    session_configs,
    transport,
    trusted_hosts,
)
from winrmlint.rules.base import Rule

RULES: tuple[Rule, ...] = (
    inputs.input_unreadable,
    transport.client_allow_unencrypted,
    transport.service_allow_unencrypted,
    transport.basic_over_http,
    transport.compatibility_listener,
    authentication.client_basic_auth,
    authentication.service_basic_auth,
    authentication.client_digest_auth,
    authentication.credssp_enabled,
    authentication.certificate_auth_without_https,
    authentication.cbt_hardening_none,
    trusted_hosts.trustedhosts_wildcard,
    trusted_hosts.trustedhosts_malformed,
    trusted_hosts.trustedhosts_ip_entries,
    listeners.no_enabled_listener,
    listeners.listener_listening_nowhere,
    listeners.ip_filters_empty,
    listeners.https_listener_incomplete,
    listeners.listener_nondefault_port,
    listeners.service_remote_access_disabled,
    service.winrm_service_not_automatic,
    listeners.remote_shell_disabled,
    firewall.firewall_public_local_subnet,
    firewall.firewall_public_any_address,
    proxy.winhttp_proxy_in_path,
    service.winrm_service_stopped,
    access.rootsddl_broad_access,
    session_configs.session_config_broad_access,
    session_configs.default_session_configuration_missing,
    session_configs.wow64_session_configuration,
    execution_policy.restrictive_execution_policy,
    quotas.envelope_size_too_small,
    quotas.quota_below_default,
    quotas.timeout_below_default,
    quotas.envelope_size_unsupported,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
