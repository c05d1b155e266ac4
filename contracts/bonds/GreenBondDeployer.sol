// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GreenBond} from "./GreenBond.sol";
import {BondTerms} from "../interfaces/IGreenBond.sol";
import {IGreenBondDeployer} from "../interfaces/IGreenBondDeployer.sol";

/// @title GreenBondDeployer
/// @notice Holds the GreenBond creation code so that GreenBondFactory stays under the 24 KB code-size limit.
/// @dev Open on purpose: anyone can deploy GreenBond bytecode directly anyway. Only bonds created through
/// GreenBondFactory (validated terms, `isBond`, `BondCreated`) are official Treelion bonds.
contract GreenBondDeployer is IGreenBondDeployer {
    /// @inheritdoc IGreenBondDeployer
    function deploy(
        BondTerms calldata terms,
        string calldata name,
        string calldata symbol,
        address admin,
        address agent,
        address pauser
    ) external returns (address) {
        return address(new GreenBond(terms, name, symbol, admin, agent, pauser));
    }
}
