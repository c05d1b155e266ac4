// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ICreditMarketplace, Listing, PermitSignature} from "../interfaces/ICreditMarketplace.sol";
import {IGreenProjectRegistry, ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {GuardianPausable} from "../governance/GuardianPausable.sol";
import {PullOnlyReceiver} from "../credits/PullOnlyReceiver.sol";
import {ExactTransfer} from "../libraries/ExactTransfer.sol";

/// @title CreditMarketplace
/// @notice Sellers escrow carbon credits in listings priced per tonne in an allow-listed ERC-20; buyers take
/// any part of a listing (delivery versus payment: the seller and the treasury are paid from the buyer inside
/// the purchase transaction) or buy and retire in one transaction, the certificate going to the buyer or a
/// named beneficiary. Price = ceil(amountKg * pricePerTonne / 1000); fee = price * feeBps / 10,000 (rounded
/// down), paid out of the price to the treasury.
/// @dev Listings are independent records: no loop over listings anywhere. Payments are checked by balance
/// deltas, so fee-on-transfer and rebasing tokens are refused; tokens without return values work through
/// SafeERC20. The marketplace accepts ERC-1155 units only from transfers it starts itself (`list`).
/// Pausing (GuardianPausable) stops list, buy, buyAndRetire and updatePrice; cancel keeps working.
contract CreditMarketplace is ICreditMarketplace, GuardianPausable, ReentrancyGuardTransient, PullOnlyReceiver {
    using SafeERC20 for IERC20;

    /// @notice Cap on the marketplace fee (10 %).
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Basis-point denominator.
    uint256 public constant BPS = 10_000;
    /// @notice Units (kg) per tonne: prices are per tonne.
    uint256 public constant KG_PER_TONNE = 1_000;

    /// @notice The credit contract whose units are traded.
    ICarbonCredit public immutable credit;
    /// @notice The project registry (read to refuse retiring credits of a project that is not Active).
    IGreenProjectRegistry public immutable registry;

    // one slot: fee recipient, fee, listing counter
    address private _treasury;
    uint16 private _feeBps;
    uint64 private _listingCount;

    /// @notice Whether a payment token may be used in new listings and purchases.
    mapping(address token => bool allowed) public paymentTokenAllowed;
    mapping(uint256 listingId => Listing) private _listings;

    /// @param admin receives DEFAULT_ADMIN_ROLE (allow-list, fee).
    /// @param credit_ the CarbonCredit contract.
    /// @param treasury_ recipient of the fee.
    /// @param feeBps_ fee in basis points (≤ MAX_FEE_BPS).
    constructor(address admin, ICarbonCredit credit_, address treasury_, uint16 feeBps_) {
        credit = credit_;
        registry = credit_.registry();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setFee(feeBps_, treasury_);
    }

    // ───────────────────────────── sellers ─────────────────────────────

    /// @inheritdoc ICreditMarketplace
    function list(
        uint256 batchId,
        uint256 amountKg,
        address paymentToken,
        uint256 pricePerTonne
    ) external nonReentrant whenNotPaused returns (uint256 listingId) {
        _price(amountKg, pricePerTonne); // zero amount, zero price, overflow
        if (amountKg > type(uint96).max) revert AmountTooLarge(amountKg, type(uint96).max);
        if (batchId > type(uint96).max) revert InvalidBatchId(batchId);
        if (!paymentTokenAllowed[paymentToken]) revert PaymentTokenNotAllowed(paymentToken);
        listingId = ++_listingCount;
        _listings[listingId] = Listing({
            seller: msg.sender,
            remainingKg: uint96(amountKg),
            paymentToken: paymentToken,
            batchId: uint96(batchId),
            pricePerTonne: pricePerTonne
        });
        emit Listed(listingId, msg.sender, batchId, amountKg, paymentToken, pricePerTonne);
        credit.safeTransferFrom(msg.sender, address(this), batchId, amountKg, "");
    }

    /// @inheritdoc ICreditMarketplace
    function updatePrice(uint256 listingId, uint256 pricePerTonne) external nonReentrant whenNotPaused {
        Listing storage lst = _sellersOpenListing(listingId);
        _price(lst.remainingKg, pricePerTonne); // zero price, overflow for the remaining amount
        uint256 old = lst.pricePerTonne;
        lst.pricePerTonne = pricePerTonne;
        emit PriceUpdated(listingId, old, pricePerTonne);
    }

    /// @inheritdoc ICreditMarketplace
    function cancel(uint256 listingId) external nonReentrant {
        Listing storage lst = _sellersOpenListing(listingId);
        uint256 amountKg = lst.remainingKg;
        lst.remainingKg = 0;
        emit ListingCancelled(listingId);
        credit.safeTransferFrom(address(this), msg.sender, lst.batchId, amountKg, "");
    }

    // ───────────────────────────── buyers ─────────────────────────────

    /// @inheritdoc ICreditMarketplace
    function buy(uint256 listingId, uint256 amountKg, uint256 maxTotalPrice) external nonReentrant whenNotPaused {
        _buy(listingId, amountKg, maxTotalPrice);
    }

    /// @notice `buy` after an ERC-2612 permit of `maxTotalPrice` of the listing's payment token to this contract.
    /// If the permit was already used (e.g. front-run by someone submitting it first), the buy still goes
    /// through when the allowance covers `maxTotalPrice`; otherwise it reverts PermitFailed.
    /// @param deadline permit deadline; `v`, `r`, `s` the buyer's permit signature.
    function buyWithPermit(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        _permit(listingId, maxTotalPrice, deadline, v, r, s);
        _buy(listingId, amountKg, maxTotalPrice);
    }

    /// @inheritdoc ICreditMarketplace
    function buyAndRetire(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external nonReentrant whenNotPaused returns (uint256 certificateId) {
        return _buyAndRetire(listingId, amountKg, maxTotalPrice, beneficiary, beneficiaryName, reason);
    }

    /// @notice `buyAndRetire` after an ERC-2612 permit of `maxTotalPrice` (see `buyWithPermit`).
    /// @param permit deadline and signature of the buyer's permit.
    function buyAndRetireWithPermit(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason,
        PermitSignature calldata permit
    ) external nonReentrant whenNotPaused returns (uint256 certificateId) {
        _permit(listingId, maxTotalPrice, permit.deadline, permit.v, permit.r, permit.s);
        return _buyAndRetire(listingId, amountKg, maxTotalPrice, beneficiary, beneficiaryName, reason);
    }

    // ───────────────────────────── admin ─────────────────────────────

    /// @notice Allows or disallows a payment token. Disallowing blocks purchases of existing listings in that
    /// token (sellers can still cancel). DEFAULT_ADMIN_ROLE.
    function setPaymentToken(address token, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (allowed && token.code.length == 0) revert InvalidPaymentToken(token);
        paymentTokenAllowed[token] = allowed;
        emit PaymentTokenAllowed(token, allowed);
    }

    /// @notice Sets the fee (≤ MAX_FEE_BPS) and its recipient; applies to later purchases. DEFAULT_ADMIN_ROLE.
    function setFee(uint16 feeBps_, address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFee(feeBps_, treasury_);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc ICreditMarketplace
    function listing(uint256 listingId) external view returns (Listing memory) {
        return _existing(listingId);
    }

    /// @inheritdoc ICreditMarketplace
    function quote(uint256 listingId, uint256 amountKg) external view returns (uint256 totalPrice, uint256 fee) {
        return _terms(listingId, _existing(listingId), amountKg);
    }

    /// @notice Price of `amountKg` at `pricePerTonne`: ceil(amountKg * pricePerTonne / 1000).
    function priceOf(uint256 amountKg, uint256 pricePerTonne) external pure returns (uint256) {
        return _price(amountKg, pricePerTonne);
    }

    /// @notice Number of listings ever created (the highest listing id).
    function listingCount() external view returns (uint256) {
        return _listingCount;
    }

    /// @notice Current fee in basis points.
    function feeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @notice Current fee recipient.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice Accepts only the units `list` pulls in (operator = this contract, token = the credit contract).
    /// @dev Anything else (a plain push by a holder or another ERC-1155) reverts UnsolicitedTransfer.
    function onERC1155Received(
        address operator,
        address from,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bytes4) {
        if (msg.sender != address(credit) || operator != address(this)) {
            revert UnsolicitedTransfer(msg.sender, operator, from);
        }
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc PullOnlyReceiver
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControl, PullOnlyReceiver) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _buy(uint256 listingId, uint256 amountKg, uint256 maxTotalPrice) private {
        uint256 batchId = _purchase(listingId, amountKg, maxTotalPrice, false);
        credit.safeTransferFrom(address(this), msg.sender, batchId, amountKg, "");
    }

    function _buyAndRetire(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) private returns (uint256 certificateId) {
        // the soulbound certificate would be stuck in the marketplace (audit A-20)
        if (beneficiary == address(this)) revert InvalidBeneficiary(beneficiary);
        uint256 batchId = _purchase(listingId, amountKg, maxTotalPrice, true);
        uint256 projectId = credit.projectOf(batchId);
        ProjectStatus status = registry.statusOf(projectId);
        if (status != ProjectStatus.Active) revert ProjectNotRetirable(listingId, projectId, status);
        // the marketplace retires its escrowed units; the certificate never goes to the marketplace
        address to = beneficiary == address(0) ? msg.sender : beneficiary;
        certificateId = credit.retire(batchId, amountKg, to, beneficiaryName, reason);
    }

    /// @dev Checks, books the fill, emits Purchased, takes payment; returns the batch to deliver or retire.
    function _purchase(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        bool retired
    ) private returns (uint256 batchId) {
        Listing storage lst = _existing(listingId);
        if (lst.seller == msg.sender) revert SellerCannotBuy(listingId);
        (uint256 total, uint256 fee) = _terms(listingId, lst, amountKg);
        if (total > maxTotalPrice) revert PriceExceedsMax(total, maxTotalPrice);
        IERC20 token = IERC20(lst.paymentToken);
        if (!paymentTokenAllowed[address(token)]) revert PaymentTokenNotAllowed(address(token));
        lst.remainingKg -= uint96(amountKg); // amountKg <= remainingKg checked in _terms
        batchId = lst.batchId;
        emit Purchased(listingId, msg.sender, amountKg, total, fee, retired);
        _pay(token, lst.seller, total - fee);
        address feeTo = _treasury;
        if (fee != 0 && feeTo != msg.sender) _pay(token, feeTo, fee);
    }

    /// @dev Moves `amount` from the buyer to `to` and checks that `to` received exactly `amount` (ExactTransfer).
    function _pay(IERC20 token, address to, uint256 amount) private {
        ExactTransfer.pull(token, msg.sender, to, amount);
    }

    function _permit(uint256 listingId, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        address token = _existing(listingId).paymentToken;
        try IERC20Permit(token).permit(msg.sender, address(this), value, deadline, v, r, s) {
            return;
        } catch {
            uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
            if (allowance < value) revert PermitFailed(token, msg.sender, allowance, value);
        }
    }

    function _setFee(uint16 feeBps_, address treasury_) private {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_, MAX_FEE_BPS);
        // the marketplace as its own treasury would strand the fees (audit A-18)
        if (treasury_ == address(0) || treasury_ == address(this)) revert InvalidTreasury(treasury_);
        _feeBps = feeBps_;
        _treasury = treasury_;
        emit FeeUpdated(feeBps_, treasury_);
    }

    /// @dev Price and fee of `amountKg` of an open listing.
    function _terms(
        uint256 listingId,
        Listing storage lst,
        uint256 amountKg
    ) private view returns (uint256 total, uint256 fee) {
        uint256 available = lst.remainingKg;
        if (available == 0) revert ListingClosed(listingId);
        if (amountKg > available) revert AmountExceedsListing(listingId, amountKg, available);
        total = _price(amountKg, lst.pricePerTonne); // reverts ZeroAmount
        fee = Math.mulDiv(total, _feeBps, BPS); // 512-bit product: total * feeBps may exceed 2^256
    }

    function _sellersOpenListing(uint256 listingId) private view returns (Listing storage lst) {
        lst = _existing(listingId);
        if (lst.seller != msg.sender) revert NotSeller(listingId, msg.sender);
        if (lst.remainingKg == 0) revert ListingClosed(listingId);
    }

    function _existing(uint256 listingId) private view returns (Listing storage lst) {
        lst = _listings[listingId];
        if (lst.seller == address(0)) revert ListingNotFound(listingId);
    }

    /// @dev ceil(amountKg * pricePerTonne / 1000); zero inputs and overflow revert with named errors.
    function _price(uint256 amountKg, uint256 pricePerTonne) private pure returns (uint256) {
        if (amountKg == 0) revert ZeroAmount();
        if (pricePerTonne == 0) revert ZeroPrice();
        if (pricePerTonne > type(uint256).max / amountKg) revert PriceOverflow(amountKg, pricePerTonne);
        return Math.ceilDiv(amountKg * pricePerTonne, KG_PER_TONNE);
    }
}
