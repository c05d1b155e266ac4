// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProjectStatus} from "./IGreenProjectRegistry.sol";
import {ICreditReceiver} from "./ICreditReceiver.sol";

/// @notice A listing as stored (3 slots). `remainingKg == 0` means closed (sold out or cancelled).
struct Listing {
    address seller;
    uint96 remainingKg;
    address paymentToken;
    uint96 batchId;
    uint256 pricePerTonne;
}

/// @notice An ERC-2612 permit signature (owner = the buyer, spender = the marketplace, value = maxTotalPrice).
struct PermitSignature {
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}

/// @title ICreditMarketplace
/// @notice Escrowed carbon-credit listings with delivery-versus-payment and buy-and-retire in one transaction.
/// Prices are per tonne (1,000 kg) in the payment token's smallest unit; the buyer pays
/// `ceil(amountKg * pricePerTonne / 1000)`, of which `feeBps / 10,000` (rounded down) goes to the treasury
/// and the rest to the seller, both inside the purchase transaction.
/// @dev UnsolicitedTransfer (ICreditReceiver): credits the marketplace did not pull itself (only `list` escrows).
interface ICreditMarketplace is ICreditReceiver {
    /// @notice Credits were escrowed and offered for sale.
    event Listed(
        uint256 indexed listingId,
        address indexed seller,
        uint256 indexed batchId,
        uint256 amountKg,
        address paymentToken,
        uint256 pricePerTonne
    );
    /// @notice Credits of a listing were bought (and retired when `retired`). `fee` is part of `totalPrice`.
    event Purchased(
        uint256 indexed listingId,
        address indexed buyer,
        uint256 amountKg,
        uint256 totalPrice,
        uint256 fee,
        bool retired
    );
    /// @notice The seller cancelled a listing; its remaining credits went back to the seller.
    event ListingCancelled(uint256 indexed listingId);
    /// @notice The seller changed the price of an open listing.
    event PriceUpdated(uint256 indexed listingId, uint256 oldPricePerTonne, uint256 newPricePerTonne);
    /// @notice A payment token was allowed or disallowed.
    event PaymentTokenAllowed(address indexed token, bool allowed);
    /// @notice The marketplace fee or its recipient changed.
    event FeeUpdated(uint16 feeBps, address indexed treasury);

    /// @dev A zero amount of credits.
    error ZeroAmount();
    /// @dev A zero price per tonne.
    error ZeroPrice();
    /// @dev `amountKg * pricePerTonne` does not fit in 256 bits.
    error PriceOverflow(uint256 amountKg, uint256 pricePerTonne);
    /// @dev A listing amount above what a listing can store.
    error AmountTooLarge(uint256 amountKg, uint256 maxKg);
    /// @dev A batch id above what a listing can store (no such batch can exist).
    error InvalidBatchId(uint256 batchId);
    /// @dev The payment token is not on the allow-list.
    error PaymentTokenNotAllowed(address token);
    /// @dev The address is not a contract and cannot be a payment token.
    error InvalidPaymentToken(address token);
    /// @dev No listing with this id.
    error ListingNotFound(uint256 listingId);
    /// @dev The listing is sold out or cancelled.
    error ListingClosed(uint256 listingId);
    /// @dev More credits requested than the listing holds.
    error AmountExceedsListing(uint256 listingId, uint256 requestedKg, uint256 availableKg);
    /// @dev The price to pay exceeds the buyer's maximum (e.g. the seller raised the price).
    error PriceExceedsMax(uint256 totalPrice, uint256 maxTotalPrice);
    /// @dev Only the listing's seller may do this.
    error NotSeller(uint256 listingId, address caller);
    /// @dev A seller cannot buy from its own listing (cancel instead).
    error SellerCannotBuy(uint256 listingId);
    /// @dev Fee above the cap.
    error FeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    /// @dev Treasury is the zero address or the marketplace itself.
    error InvalidTreasury(address treasury);
    /// @dev The marketplace itself cannot be the beneficiary of a retirement (the certificate is soulbound).
    error InvalidBeneficiary(address beneficiary);
    /// @dev The permit failed and the existing allowance does not cover the price.
    error PermitFailed(address token, address owner, uint256 allowance, uint256 required);
    /// @dev buyAndRetire on a listing whose project is not Active (credits of a suspended project can be
    /// bought and transferred, but not retired).
    error ProjectNotRetirable(uint256 listingId, uint256 projectId, ProjectStatus status);

    /// @notice Escrows `amountKg` of `batchId` from the caller and lists them. Needs `setApprovalForAll`.
    function list(
        uint256 batchId,
        uint256 amountKg,
        address paymentToken,
        uint256 pricePerTonne
    ) external returns (uint256 listingId);

    /// @notice Buys `amountKg` of a listing; pays the seller (minus the fee) and the treasury; delivers credits.
    function buy(uint256 listingId, uint256 amountKg, uint256 maxTotalPrice) external;

    /// @notice Buys and retires in one transaction; the certificate goes to `beneficiary` (the buyer when zero).
    function buyAndRetire(
        uint256 listingId,
        uint256 amountKg,
        uint256 maxTotalPrice,
        address beneficiary,
        string calldata beneficiaryName,
        string calldata reason
    ) external returns (uint256 certificateId);

    /// @notice Changes the price of an open listing. Seller only.
    function updatePrice(uint256 listingId, uint256 pricePerTonne) external;

    /// @notice Closes a listing and returns its remaining credits to the seller. Seller only; works while paused.
    function cancel(uint256 listingId) external;

    /// @notice The listing record (reverts ListingNotFound).
    function listing(uint256 listingId) external view returns (Listing memory);

    /// @notice Price the buyer pays for `amountKg` of a listing now, and the fee part of it.
    function quote(uint256 listingId, uint256 amountKg) external view returns (uint256 totalPrice, uint256 fee);
}
