Feature: Spend against the spend profile
  As the Community Safety Manager
  I want to see which lines are behind or ahead of their profile and where money will go unspent
  So that the Strategic Group can reallocate at mid-year rather than hand money back to the OPCC

  Scenario Outline: PRF001 a line is behind its spend profile
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £4,000.00
    And "Street Pastors" is profiled at £1,000.00 a quarter
    And <paid> was paid to "Street Pastors" on 15/09/2023
    When the rules are checked as at 30/09/2023
    Then PRF001 is <verdict>

    @breach
    Examples: more than 10% behind the £2,000 profiled to the end of Q2
      | paid      | verdict |
      | £1,799.99 | raised  |
      | £500.00   | raised  |

    @within_tolerance
    Examples: on profile, within 10%, or ahead
      | paid      | verdict    |
      | £1,800.00 | not raised |
      | £2,000.00 | not raised |
      | £2,600.00 | not raised |

  Scenario: more than 25% behind is red, and an error
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £4,000.00
    And "Street Pastors" is profiled at £1,000.00 a quarter
    And £500.00 was paid to "Street Pastors" on 15/09/2023
    When the rules are checked as at 30/09/2023
    Then the PRF001 finding says "£1,500.00 (75.0%) behind, red"
    And the PRF001 finding is an error

  Scenario: the current quarter is pro-rated by days
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £3,680.00
    And "Street Pastors" is profiled at £920.00 a quarter
    And £1,100.00 was paid to "Street Pastors" on 15/07/2023
    When the rules are checked as at 15/08/2023
    Then the PRF001 finding says "against £1,380.00 profiled to 15 Aug 2023"
    And the PRF001 finding is a warning

  Scenario Outline: PRF002 a line is ahead of its spend profile
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £4,000.00
    And "Street Pastors" is profiled at £1,000.00 a quarter
    And <paid> was paid to "Street Pastors" on 15/09/2023
    When the rules are checked as at 30/09/2023
    Then PRF002 is <verdict>

    @breach
    Examples: more than 10% ahead of the profile
      | paid      | verdict |
      | £2,200.01 | raised  |
      | £4,000.00 | raised  |

    @within_tolerance
    Examples: up to 10% ahead
      | paid      | verdict    |
      | £2,200.00 | not raised |
      | £1,000.00 | not raised |

  Scenario Outline: PRF003 an allocated line has spent nothing after the end of Q2
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Mediation" allocated £5,000.00
    And <paid> was paid to "Mediation" on 01/07/2017
    When the rules are checked as at <as_at>
    Then PRF003 is <verdict>

    @breach
    Examples: nothing spent when the mid-year review comes
      | paid  | as_at      | verdict |
      | £0.00 | 26/10/2017 | raised  |
      | £0.00 | 01/10/2017 | raised  |

    @within_tolerance
    Examples: some spend, or Q2 not over yet
      | paid    | as_at      | verdict    |
      | £750.00 | 26/10/2017 | not raised |
      | £0.00   | 30/09/2017 | not raised |

  Scenario Outline: PRF004 the forecast leaves money unspent, at risk of going back
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And £20,000.00 was received on 10/04/2023
    And a line "Street Pastors" allocated £12,000.00
    And "Street Pastors" is profiled at £3,000.00 a quarter
    And a line "Mediation" allocated £8,000.00
    And <paid> was paid to "Street Pastors" on 15/09/2023
    When the rules are checked as at 30/09/2023
    Then PRF004 is <verdict>

    @breach
    Examples: Street Pastors has fallen behind and will not catch up on its profile
      | paid      | verdict |
      | £4,000.00 | raised  |
      | £0.00     | raised  |

    @within_tolerance
    Examples: spend to date plus the rest of the profile uses all the money
      | paid      | verdict    |
      | £6,000.00 | not raised |
      | £7,000.00 | not raised |

  Scenario: PRF004 names the forecast underspend
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And £20,000.00 was received on 10/04/2023
    And a line "Street Pastors" allocated £12,000.00
    And "Street Pastors" is profiled at £3,000.00 a quarter
    And a line "Mediation" allocated £8,000.00
    And £4,000.00 was paid to "Street Pastors" on 15/09/2023
    When the rules are checked as at 30/09/2023
    Then the PRF004 finding says "£2,000.00 forecast underspend"

  Scenario Outline: PRF005 a line with money has no spend profile
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated <allocated>
    And "Mediation" <profile>
    When the rules are checked as at 01/06/2023
    Then PRF005 is <verdict>

    @breach
    Examples: money but no profile
      | allocated | profile             | verdict |
      | £5,000.00 | has no spend profile | raised  |

    @within_tolerance
    Examples: a profile agreed, or no money on the line
      | allocated | profile                              | verdict    |
      | £5,000.00 | is profiled at £1,250.00 a quarter   | not raised |
      | £0.00     | has no spend profile                 | not raised |

  Scenario Outline: PRF006 a line's profile does not add up to its allocation
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated <allocated>
    And "Street Pastors" is profiled at £2,000.00 a quarter
    When the rules are checked as at 01/05/2023
    Then PRF006 is <verdict>

    @breach
    Examples: the profile plans more or less than the line has
      | allocated  | verdict |
      | £7,000.00  | raised  |
      | £8,000.01  | raised  |

    @within_tolerance
    Examples: the quarters add up to the allocation
      | allocated  | verdict    |
      | £8,000.00  | not raised |

  Scenario: the PRF006 finding says by how much
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £7,000.00
    And "Street Pastors" is profiled at £2,000.00 a quarter
    When the rules are checked as at 01/05/2023
    Then the PRF006 finding says "Profiled £8,000.00 against £7,000.00 allocated: £1,000.00 more than the line has."
