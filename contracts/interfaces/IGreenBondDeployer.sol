// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BondTerms} from "./IGreenBond.sol";

/// @title IGreenBondDeployer
/// @notice Holds the GreenBond creation code (linked to BondTermsLib) so that GreenBondFactory stays small.
interface IGreenBondDeployer {
    /// @notice Deploys a GreenBond with these constructor arguments and returns its address.
    function deploy(
        BondTerms calldata terms,
        string calldata name,
        string calldata symbol,
        address admin,
        address agent,
        address pauser
    ) external returns (address);
}
