// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title ReentrantActor
/// @notice The one hostile account of the test suite (the whole-suite property test and every re-entrancy test).
/// Its controller makes it act (`exec`) like any holder (approve, buy, redeem, retire, …); on an ERC-1155 / ERC-721
/// receipt callback it fires its armed attack calls (re-enter the function that is paying it, steal from the
/// sender, transfer to a third party) and records whether each succeeded. `configure` chooses which callbacks fire
/// (those from one contract, or all) and whether a failed attack is swallowed (the outer operation goes on) or
/// bubbled (the outer operation reverts with the attack's error). Optionally it refuses receipts. Tests only.
contract ReentrantActor is IERC1155Receiver, IERC721Receiver {
    /// @notice One armed attack: a call fired from every receipt callback.
    struct Attack {
        address target;
        bytes data;
    }

    /// @notice The account that drives this actor.
    address public immutable controller;
    /// @notice A second account the controller lets call `exec` (e.g. a re-entrant token calling back through the
    /// actor, so that the re-entry comes from a holder); zero = none.
    address public delegate;
    /// @notice When true every ERC-1155 receipt reverts (a receiver that refuses delivery).
    bool public refuseReceipts;
    /// @notice Attack calls attempted from callbacks.
    uint256 public attempts;
    /// @notice Attack calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed attack call.
    bytes public lastRevert;
    /// @notice Only receipt callbacks from this contract fire the attacks (zero: every callback fires them).
    address public trigger;
    /// @notice When true a failed attack call reverts the callback with the attack's revert data.
    bool public bubble;

    Attack[] private _attacks;
    bool private _inCallback;

    /// @notice An attack call fired from a callback.
    event AttackAttempted(address indexed target, bytes4 indexed selector, bool success, bytes result);

    /// @dev Only the controller may drive the actor.
    error NotController(address caller);
    /// @dev The actor refuses this delivery.
    error ReceiptRefused();

    constructor(address controller_) {
        controller = controller_;
    }

    /// @notice Calls `target` with `data` as this contract (approve, transfer, retire, deposit, …); the controller
    /// or its delegate only.
    function exec(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != controller && (msg.sender != delegate || delegate == address(0))) {
            revert NotController(msg.sender);
        }
        return Address.functionCall(target, data);
    }

    /// @notice Replaces the armed attacks (empty = receive peacefully).
    function arm(Attack[] calldata attacks) external {
        if (msg.sender != controller) revert NotController(msg.sender);
        delete _attacks;
        for (uint256 i; i < attacks.length; ++i) _attacks.push(attacks[i]);
    }

    /// @notice Chooses which callbacks fire the attacks (`trigger_`, zero = all) and whether failures bubble.
    function configure(address trigger_, bool bubble_) external {
        if (msg.sender != controller) revert NotController(msg.sender);
        trigger = trigger_;
        bubble = bubble_;
    }

    /// @notice Lets `delegate_` call `exec` too (zero: only the controller).
    function setDelegate(address delegate_) external {
        if (msg.sender != controller) revert NotController(msg.sender);
        delegate = delegate_;
    }

    /// @notice Makes every ERC-1155 receipt revert (or accept again).
    function setRefuseReceipts(bool refuse) external {
        if (msg.sender != controller) revert NotController(msg.sender);
        refuseReceipts = refuse;
    }

    /// @notice Number of armed attacks.
    function attackCount() external view returns (uint256) {
        return _attacks.length;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        if (refuseReceipts) revert ReceiptRefused();
        _fire();
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        if (refuseReceipts) revert ReceiptRefused();
        _fire();
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        _fire();
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC1155Receiver).interfaceId ||
            interfaceId == type(IERC721Receiver).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    /// @dev Fires every armed attack once (not recursively); a failure is recorded, or re-thrown when `bubble`.
    function _fire() private {
        if (_inCallback || (trigger != address(0) && msg.sender != trigger)) return;
        _inCallback = true;
        uint256 n = _attacks.length;
        for (uint256 i; i < n; ++i) {
            Attack storage a = _attacks[i];
            ++attempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = a.target.call(a.data);
            if (ok) {
                ++successes;
            } else if (bubble) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            } else {
                lastRevert = ret;
            }
            bytes memory data = a.data;
            emit AttackAttempted(a.target, bytes4(data), ok, ret);
        }
        _inCallback = false;
    }
}
