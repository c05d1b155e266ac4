// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A retirement certificate as returned by `certificate()`.
struct CertificateView {
    uint256[] batchIds;
    address account;
    address beneficiary;
    uint256 amountKg;
    uint64 retiredAt;
    string beneficiaryName;
    string reason;
}

/// @title IRetirementCertificate
/// @notice Non-transferable (ERC-5192) proof of a carbon credit retirement.
interface IRetirementCertificate {
    /// @dev Only the CarbonCredit contract may mint.
    error NotMinter(address caller);
    /// @dev The minter was already set.
    error MinterAlreadySet(address minter);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev Certificates cannot be transferred or approved.
    error CertificateNonTransferable(uint256 tokenId);
    /// @dev Approvals are disabled on soulbound certificates.
    error ApprovalsDisabled();
    /// @dev No certificate with this id.
    error CertificateNotFound(uint256 tokenId);

    /// @notice The minter (CarbonCredit) was set.
    event MinterSet(address indexed minter);

    /// @notice Mints a single-batch certificate. Only the minter.
    function mint(
        address to,
        address account,
        uint256 batchId,
        uint256 amountKg,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 tokenId);

    /// @notice Mints a certificate covering several batches. Only the minter.
    function mintMulti(
        address to,
        address account,
        uint256[] calldata batchIds,
        uint256 amountKg,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 tokenId);

    /// @notice The certificate's data.
    function certificate(uint256 tokenId) external view returns (CertificateView memory);

    /// @notice Number of certificates minted.
    function totalCertificates() external view returns (uint256);
}
