// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title MaliciousCreditBuyer
/// @notice Buyer contract that re-enters the marketplace from `onERC1155Received` (with `reentryData`).
/// With `swallow` it records the failure and accepts the credits; otherwise the failure bubbles up.
/// Tests only.
contract MaliciousCreditBuyer is IERC1155Receiver {
    /// @notice The marketplace attacked.
    address public immutable market;
    /// @notice Calldata of the re-entrant call (empty = no attack).
    bytes public reentryData;
    /// @notice Whether a failed re-entrant call is swallowed.
    bool public swallow;
    /// @notice Re-entrant calls attempted / succeeded.
    uint256 public attempts;
    /// @notice Re-entrant calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed re-entrant call.
    bytes public lastRevert;

    constructor(address market_) {
        market = market_;
    }

    /// @notice Approves the marketplace to pull `amount` of `token`.
    function approve(IERC20 token, uint256 amount) external {
        token.approve(market, amount);
    }

    /// @notice Arms the re-entrant call.
    function arm(bytes calldata data, bool swallow_) external {
        reentryData = data;
        swallow = swallow_;
    }

    /// @notice Calls the marketplace (e.g. buy) as this contract.
    function execute(bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(market, data);
    }

    /// @notice Re-enters the marketplace once per delivery.
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        if (reentryData.length != 0) {
            ++attempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = market.call(reentryData);
            if (ok) {
                ++successes;
            } else if (swallow) {
                lastRevert = ret;
            } else {
                Address.verifyCallResult(ok, ret);
            }
        }
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @notice Accepts batch deliveries.
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
