// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IComplianceRegistry, InvestorRecord} from "../interfaces/IComplianceRegistry.sol";
import {Roles} from "../libraries/Roles.sol";

/// @title ComplianceRegistry
/// @notice Who may hold and trade Treelion green bonds: a KYC/AML flag, a country and an expiry per investor,
/// plus a list of blocked countries. Written by compliance officers (COMPLIANCE_ROLE), read by every GreenBond.
/// @dev One storage slot per investor. Batches are bounded by `MAX_BATCH`.
contract ComplianceRegistry is IComplianceRegistry, AccessControl {
    /// @notice Role of compliance officers.
    bytes32 public constant COMPLIANCE_ROLE = Roles.COMPLIANCE;
    /// @notice Largest batch accepted by `setInvestors`.
    uint256 public constant MAX_BATCH = 200;

    mapping(address account => InvestorRecord) private _investors;
    mapping(bytes2 country => bool) private _blocked;

    /// @param admin receives DEFAULT_ADMIN_ROLE (governance), which grants COMPLIANCE_ROLE.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IComplianceRegistry
    function setInvestor(
        address account,
        bool verified,
        bytes2 country,
        uint64 expiresAt
    ) external onlyRole(COMPLIANCE_ROLE) {
        _checkRecord(verified, country, expiresAt);
        _set(account, verified, country, expiresAt);
    }

    /// @inheritdoc IComplianceRegistry
    function setInvestors(
        address[] calldata accounts,
        bool verified,
        bytes2 country,
        uint64 expiresAt
    ) external onlyRole(COMPLIANCE_ROLE) {
        uint256 n = accounts.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n, MAX_BATCH);
        _checkRecord(verified, country, expiresAt);
        for (uint256 i = 0; i < n; ++i) _set(accounts[i], verified, country, expiresAt);
    }

    /// @inheritdoc IComplianceRegistry
    function blockCountry(bytes2 country, bool blocked) external onlyRole(COMPLIANCE_ROLE) {
        if (!_isCountryCode(country)) revert InvalidCountry(country);
        _blocked[country] = blocked;
        emit CountryBlocked(country, blocked);
    }

    /// @inheritdoc IComplianceRegistry
    function isVerified(address account) public view returns (bool) {
        InvestorRecord memory r = _investors[account];
        return r.verified && (r.expiresAt == 0 || block.timestamp < r.expiresAt);
    }

    /// @inheritdoc IComplianceRegistry
    function investor(address account) external view returns (InvestorRecord memory) {
        return _investors[account];
    }

    /// @inheritdoc IComplianceRegistry
    function isCountryBlocked(bytes2 country) external view returns (bool) {
        return _blocked[country];
    }

    /// @inheritdoc IComplianceRegistry
    function isEligible(address account) external view returns (bool) {
        return isVerified(account) && !_blocked[_investors[account].country];
    }

    function _checkRecord(bool verified, bytes2 country, uint64 expiresAt) private view {
        if (!(country == bytes2(0) && !verified) && !_isCountryCode(country)) revert InvalidCountry(country);
        if (verified && expiresAt != 0 && expiresAt <= block.timestamp) {
            revert ExpiryInPast(expiresAt, block.timestamp);
        }
    }

    function _set(address account, bool verified, bytes2 country, uint64 expiresAt) private {
        if (account == address(0)) revert ZeroAddress("account");
        _investors[account] = InvestorRecord(verified, country, expiresAt);
        emit InvestorUpdated(account, verified, country, expiresAt);
    }

    function _isCountryCode(bytes2 c) private pure returns (bool) {
        uint8 a = uint8(c[0]);
        uint8 b = uint8(c[1]);
        return a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;
    }
}
