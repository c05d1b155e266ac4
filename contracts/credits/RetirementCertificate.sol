// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IERC5192} from "../interfaces/IERC5192.sol";
import {IRetirementCertificate, CertificateView} from "../interfaces/IRetirementCertificate.sol";
import {ICarbonCredit, Batch} from "../interfaces/ICarbonCredit.sol";
import {TextLib} from "../libraries/TextLib.sol";
import {Labels} from "../libraries/Labels.sol";
import {JsonMetadata} from "../libraries/JsonMetadata.sol";

/// @title RetirementCertificate
/// @notice Soulbound (ERC-5192, always locked) ERC-721 proof of a carbon credit retirement, minted
/// only by CarbonCredit. `tokenURI` is on-chain JSON: project, vintage, tonnes, beneficiary, reason, and the quality
/// labels every retired batch carries (read live from CarbonCredit).
/// @dev Storage per certificate is what `certificate()` and `tokenURI` need, packed: one slot of
/// numbers, the retiring account only when it differs from the beneficiary (the token owner), the
/// beneficiary name and reason concatenated into ⌈(len₁+len₂)/32⌉ words, and the batch list only
/// for multi-batch certificates. Project name and vintage are read from CarbonCredit on demand.
contract RetirementCertificate is IRetirementCertificate, IERC5192, ERC721, AccessControl {
    using Strings for uint256;

    /// @dev 96 + 40 + 48 + 8 + 16 + 16 + 8 = 232 bits: one slot.
    struct CertData {
        uint96 amountKg;
        uint40 retiredAt;
        uint48 batchId; // the only batch, or the first of a multi-batch certificate
        uint8 batchCount;
        uint16 nameLength;
        uint16 reasonLength;
        bool hasAccount; // account != beneficiary: stored in _accounts
    }

    /// @notice The CarbonCredit contract, the only minter.
    ICarbonCredit public minter;

    uint256 private _count;
    mapping(uint256 tokenId => CertData) private _certs;
    mapping(uint256 tokenId => address) private _accounts;
    mapping(uint256 tokenId => mapping(uint256 word => bytes32)) private _text;
    mapping(uint256 tokenId => uint256[]) private _batchLists;

    /// @param admin receives DEFAULT_ADMIN_ROLE; it wires the minter once.
    constructor(address admin) ERC721("Treelion Retirement Certificate", "TRC") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Sets the CarbonCredit contract as the only minter. Once; DEFAULT_ADMIN_ROLE.
    function setMinter(ICarbonCredit minter_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(minter) != address(0)) revert MinterAlreadySet(address(minter));
        if (address(minter_) == address(0)) revert ZeroAddress("minter");
        minter = minter_;
        emit MinterSet(address(minter_));
    }

    /// @inheritdoc IRetirementCertificate
    function mint(
        address to,
        address account,
        uint256 batchId,
        uint256 amountKg,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 tokenId) {
        tokenId = _mintCertificate(to, account, batchId, 1, amountKg, beneficiaryName, reason);
    }

    /// @inheritdoc IRetirementCertificate
    function mintMulti(
        address to,
        address account,
        uint256[] calldata batchIds,
        uint256 amountKg,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 tokenId) {
        tokenId = _mintCertificate(
            to,
            account,
            batchIds[0],
            SafeCast.toUint8(batchIds.length),
            amountKg,
            beneficiaryName,
            reason
        );
        if (batchIds.length > 1) _batchLists[tokenId] = batchIds;
    }

    /// @inheritdoc IRetirementCertificate
    function certificate(uint256 tokenId) public view returns (CertificateView memory c) {
        address owner = _requireOwned(tokenId);
        CertData memory d = _certs[tokenId];
        c.batchIds = _batchIdsOf(tokenId, d);
        c.beneficiary = owner;
        c.account = d.hasAccount ? _accounts[tokenId] : owner;
        c.amountKg = d.amountKg;
        c.retiredAt = d.retiredAt;
        bytes memory text = _readText(tokenId, uint256(d.nameLength) + d.reasonLength);
        c.beneficiaryName = string(TextLib.slice(text, 0, d.nameLength));
        c.reason = string(TextLib.slice(text, d.nameLength, text.length));
    }

    /// @inheritdoc IRetirementCertificate
    function totalCertificates() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @notice On-chain JSON metadata (`data:application/json;base64,…`); strings are JSON-escaped. One "Label"
    /// attribute per quality label that all the certificate's batches carry now.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        CertificateView memory c = certificate(tokenId);
        (string memory projectName, string memory vintage, string memory batches) = _describeBatches(c.batchIds);
        string memory tonnes = TextLib.formatKgAsTonnes(c.amountKg);
        bytes memory json = abi.encodePacked(
            '{"name":"Treelion Retirement Certificate #',
            tokenId.toString(),
            '","description":"Retirement of ',
            tonnes,
            ' tonnes CO2e of verified carbon credits. This certificate is non-transferable.","attributes":['
        );
        json = abi.encodePacked(json, JsonMetadata.attr("Project", projectName), ",");
        json = abi.encodePacked(json, JsonMetadata.attr("Vintage", vintage), ",");
        json = abi.encodePacked(json, JsonMetadata.attr("Tonnes", tonnes), ",");
        json = abi.encodePacked(json, JsonMetadata.attr("Batches", batches), ",");
        json = abi.encodePacked(json, JsonMetadata.textAttr("Beneficiary", c.beneficiaryName), ",");
        json = abi.encodePacked(json, JsonMetadata.textAttr("Reason", c.reason), ",");
        json = abi.encodePacked(
            json,
            JsonMetadata.attr("Beneficiary address", Strings.toHexString(c.beneficiary)),
            ","
        );
        json = abi.encodePacked(json, JsonMetadata.attr("Retired by", Strings.toHexString(c.account)), ",");
        json = abi.encodePacked(json, JsonMetadata.dateAttr("Retired at", c.retiredAt));
        json = abi.encodePacked(json, Labels.jsonAttributes(_sharedLabels(c.batchIds)), "]}");
        return JsonMetadata.dataURI(json);
    }

    /// @notice Approvals are disabled: certificates are soulbound.
    function approve(address, uint256 tokenId) public pure override {
        revert CertificateNonTransferable(tokenId);
    }

    /// @notice Approvals are disabled: certificates are soulbound.
    function setApprovalForAll(address, bool) public pure override {
        revert ApprovalsDisabled();
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return interfaceId == type(IERC5192).interfaceId || super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _mintCertificate(
        address to,
        address account,
        uint256 batchId,
        uint8 batchCount,
        uint256 amountKg,
        string calldata beneficiaryName,
        string calldata reason
    ) private returns (uint256 tokenId) {
        if (msg.sender != address(minter)) revert NotMinter(msg.sender);
        tokenId = ++_count;
        bool hasAccount = account != to;
        _certs[tokenId] = CertData({
            amountKg: SafeCast.toUint96(amountKg),
            retiredAt: uint40(block.timestamp),
            batchId: SafeCast.toUint48(batchId),
            batchCount: batchCount,
            nameLength: SafeCast.toUint16(bytes(beneficiaryName).length),
            reasonLength: SafeCast.toUint16(bytes(reason).length),
            hasAccount: hasAccount
        });
        if (hasAccount) _accounts[tokenId] = account;
        _writeText(tokenId, bytes.concat(bytes(beneficiaryName), bytes(reason)));
        _mint(to, tokenId);
        emit Locked(tokenId);
    }

    /// @dev Blocks every transfer; only mints (from == 0) pass.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = _ownerOf(tokenId);
        if (from != address(0)) revert CertificateNonTransferable(tokenId);
        return super._update(to, tokenId, auth);
    }

    function _writeText(uint256 tokenId, bytes memory text) private {
        uint256 words = (text.length + 31) >> 5;
        mapping(uint256 => bytes32) storage slots = _text[tokenId];
        for (uint256 i; i < words; ++i) {
            slots[i] = TextLib.wordAt(text, i);
        }
    }

    function _readText(uint256 tokenId, uint256 length) private view returns (bytes memory text) {
        uint256 words = (length + 31) >> 5;
        mapping(uint256 => bytes32) storage slots = _text[tokenId];
        bytes32[] memory buf = new bytes32[](words);
        for (uint256 i; i < words; ++i) {
            buf[i] = slots[i];
        }
        text = TextLib.fromWords(buf, length);
    }

    function _batchIdsOf(uint256 tokenId, CertData memory d) private view returns (uint256[] memory ids) {
        if (d.batchCount > 1) return _batchLists[tokenId];
        ids = new uint256[](1);
        ids[0] = d.batchId;
    }

    /// @dev Project name and vintage shared by all batches, else "Multiple projects" / "Mixed".
    function _describeBatches(
        uint256[] memory ids
    ) private view returns (string memory projectName, string memory vintage, string memory list) {
        Batch memory first = minter.batch(ids[0]);
        bool sameProject = true;
        bool sameVintage = true;
        list = ids[0].toString();
        for (uint256 i = 1; i < ids.length; ++i) {
            Batch memory b = minter.batch(ids[i]);
            if (b.projectId != first.projectId) sameProject = false;
            if (b.vintage != first.vintage) sameVintage = false;
            list = string.concat(list, ", ", ids[i].toString());
        }
        projectName = sameProject ? Strings.escapeJSON(minter.registry().nameOf(first.projectId)) : "Multiple projects";
        vintage = sameVintage ? uint256(first.vintage).toString() : "Mixed";
    }

    /// @dev The labels every batch of the list carries (bitwise AND).
    function _sharedLabels(uint256[] memory ids) private view returns (uint32 labels) {
        labels = minter.labelsOf(ids[0]);
        for (uint256 i = 1; i < ids.length && labels != 0; ++i) labels &= minter.labelsOf(ids[i]);
    }
}
