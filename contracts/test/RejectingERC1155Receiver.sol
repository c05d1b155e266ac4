// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";

/// @title RejectingERC1155Receiver
/// @notice Test-only: an ERC-1155 receiver that refuses tokens (wrong magic value, custom error or empty revert).
contract RejectingERC1155Receiver is IERC1155Receiver, ERC165 {
    enum Mode {
        Accept,
        WrongMagic,
        CustomError,
        EmptyRevert
    }

    /// @dev The receiver refuses the tokens.
    error NoThanks(uint256 id, uint256 value);

    /// @notice How the next callbacks answer.
    Mode public mode;

    /// @param mode_ initial mode.
    constructor(Mode mode_) {
        mode = mode_;
    }

    /// @notice Changes how the receiver answers.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(
        address,
        address,
        uint256 id,
        uint256 value,
        bytes calldata
    ) external view returns (bytes4) {
        return _answer(id, value, this.onERC1155Received.selector);
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata
    ) external view returns (bytes4) {
        return _answer(ids[0], values[0], this.onERC1155BatchReceived.selector);
    }

    /// @inheritdoc ERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }

    function _answer(uint256 id, uint256 value, bytes4 magic) private view returns (bytes4) {
        Mode m = mode;
        if (m == Mode.WrongMagic) return bytes4(0xdeadbeef);
        if (m == Mode.CustomError) revert NoThanks(id, value);
        if (m == Mode.EmptyRevert) {
            assembly ("memory-safe") {
                revert(0, 0)
            }
        }
        return magic;
    }
}
