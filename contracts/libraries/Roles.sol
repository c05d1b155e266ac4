// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Roles
/// @notice The role identifiers shared by every Treelion contract.
library Roles {
    bytes32 internal constant REGISTRAR = keccak256("REGISTRAR_ROLE");
    bytes32 internal constant VERIFIER = keccak256("VERIFIER_ROLE");
    bytes32 internal constant ISSUER = keccak256("ISSUER_ROLE");
    bytes32 internal constant PAUSER = keccak256("PAUSER_ROLE");
    bytes32 internal constant COMPLIANCE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant AGENT = keccak256("AGENT_ROLE");
    bytes32 internal constant POOL_ADMIN = keccak256("POOL_ADMIN_ROLE");
}
