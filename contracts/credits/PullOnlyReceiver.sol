// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ICreditReceiver} from "../interfaces/ICreditReceiver.sol";

/// @title PullOnlyReceiver
/// @notice ERC-1155 receiver base of the contracts that take CarbonCredit units only when they asked for them
/// (CreditMarketplace, BufferPool): they never ask for a batch transfer, so the batch hook always reverts
/// UnsolicitedTransfer; ERC-165 answers for AccessControl and IERC1155Receiver. The single-transfer hook, which
/// recognises what the contract asked for, is each contract's own.
abstract contract PullOnlyReceiver is ICreditReceiver, IERC1155Receiver, AccessControl {
    /// @notice Batch transfers are never solicited: always reverts UnsolicitedTransfer.
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external view returns (bytes4) {
        revert UnsolicitedTransfer(msg.sender, operator, from);
    }

    /// @notice ERC-165: AccessControl and IERC1155Receiver.
    function supportsInterface(bytes4 interfaceId) public view virtual override(AccessControl, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }
}
