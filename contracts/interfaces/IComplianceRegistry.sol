// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The compliance record of one investor.
/// @dev Packed in one storage slot. `expiresAt == 0` means the verification never expires.
struct InvestorRecord {
    bool verified;
    bytes2 country;
    uint64 expiresAt;
}

/// @title IComplianceRegistry
/// @notice Verified investors (KYC/AML flag, ISO 3166-1 alpha-2 country, expiry) and blocked countries,
/// maintained by compliance officers (COMPLIANCE_ROLE) and read by permissioned tokens such as GreenBond.
interface IComplianceRegistry {
    /// @notice An investor's record was written.
    event InvestorUpdated(address indexed account, bool verified, bytes2 country, uint64 expiresAt);
    /// @notice A country was blocked or unblocked.
    event CountryBlocked(bytes2 indexed country, bool blocked);

    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev The country is not two uppercase ASCII letters.
    error InvalidCountry(bytes2 country);
    /// @dev A verified record must expire in the future (or never: 0).
    error ExpiryInPast(uint64 expiresAt, uint256 nowTs);
    /// @dev A batch is empty or longer than `max`.
    error InvalidBatchSize(uint256 length, uint256 max);

    /// @notice Writes one investor's record. COMPLIANCE_ROLE.
    /// @param account the investor
    /// @param verified whether the investor passed KYC/AML
    /// @param country ISO 3166-1 alpha-2 code (two uppercase letters); may be 0x0000 only when `verified` is false
    /// @param expiresAt unix time the verification lapses (0 = never); must be in the future when `verified`
    function setInvestor(address account, bool verified, bytes2 country, uint64 expiresAt) external;

    /// @notice Writes the same record for up to `MAX_BATCH` (200) accounts. COMPLIANCE_ROLE.
    function setInvestors(address[] calldata accounts, bool verified, bytes2 country, uint64 expiresAt) external;

    /// @notice Blocks (or unblocks) every investor from `country`. COMPLIANCE_ROLE.
    function blockCountry(bytes2 country, bool blocked) external;

    /// @notice True when the account is verified and its verification has not expired.
    function isVerified(address account) external view returns (bool);

    /// @notice The stored record of an account (all zero when never set).
    function investor(address account) external view returns (InvestorRecord memory);

    /// @notice True when investors from `country` are blocked.
    function isCountryBlocked(bytes2 country) external view returns (bool);

    /// @notice True when the account is verified, not expired, and its country is not blocked.
    function isEligible(address account) external view returns (bool);
}
