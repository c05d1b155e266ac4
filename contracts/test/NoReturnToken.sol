// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title NoReturnToken
/// @notice USDT-style test token: `transfer`, `transferFrom` and `approve` return nothing. Reverts on failure
/// with custom errors. Tests only: SafeERC20 must handle it.
contract NoReturnToken {
    /// @notice ERC-20 Transfer.
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice ERC-20 Approval.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @dev Balance too low.
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @dev Allowance too low.
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    /// @notice Total supply.
    uint256 public totalSupply;
    /// @notice Balances.
    mapping(address account => uint256 balance) public balanceOf;
    /// @notice Allowances.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /// @notice Token name.
    function name() external pure returns (string memory) {
        return "No Return USD";
    }

    /// @notice Token symbol.
    function symbol() external pure returns (string memory) {
        return "NRUSD";
    }

    /// @notice Decimals.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Approves `spender`; returns nothing.
    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
    }

    /// @notice Transfers; returns nothing.
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    /// @notice Transfers with allowance; returns nothing.
    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert InsufficientAllowance(msg.sender, allowed, amount);
        allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        balanceOf[from] = bal - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
