Feature: Evidence of what the money achieved
  As the Community Safety Manager
  I want to know which funded work has not shown its results
  So that I can give the Police and Crime Commissioner the evidence the grant requires

  Scenario Outline: EVD001 a significant line has no outcome evidence for the half-year
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "To address transient student related ASB" allocated <allocated>
    And £1,000.00 was paid to "To address transient student related ASB" on 01/07/2017
    And "To address transient student related ASB" <evidence>
    When the rules are checked as at 15/11/2017
    Then EVD001 is <verdict>

    @breach
    Examples: £10,000 or more (or a tenth of the fund) with no evidence for H1
      | allocated  | evidence                                                      | verdict |
      | £18,000.00 | has reported no outcomes                                      | raised  |
      | £10,000.00 | reported outcomes for 2017/18 H1 on 31/10/2017, awaiting data | raised  |
      | £7,550.00  | has reported no outcomes                                      | raised  |

    @within_tolerance
    Examples: evidence recorded, or a small line
      | allocated  | evidence                                                                    | verdict    |
      | £18,000.00 | reported outcomes for 2017/18 Q2 on 31/10/2017 with evidence "patrol logs"   | not raised |
      | £18,000.00 | reported outcomes for 2017/18 H1 on 31/10/2017 with evidence "survey"       | not raised |
      | £7,549.99  | has reported no outcomes                                                    | not raised |

  Scenario: evidence for the first half is not due until a month after it ends
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "To address transient student related ASB" allocated £18,000.00
    And £8,000.00 was paid to "To address transient student related ASB" on 01/07/2017
    When the rules are checked as at 26/10/2017
    Then EVD001 is not raised

  Scenario Outline: EVD002 a fully spent line is still awaiting its outcomes
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £3,000.00
    And <paid> was paid to "Street Pastors" on 01/06/2023
    And "Street Pastors" <outcomes>
    When the rules are checked as at 01/09/2023
    Then EVD002 is <verdict>

    @breach
    Examples: all the money paid, nothing to show yet
      | paid      | outcomes                                                      | verdict |
      | £3,000.00 | has reported no outcomes                                      | raised  |
      | £3,000.00 | reported outcomes for 2023/24 Q1 on 15/07/2023, awaiting data | raised  |

    @within_tolerance
    Examples: outcomes in, or money still to spend
      | paid      | outcomes                                                                      | verdict    |
      | £3,000.00 | reported outcomes for 2023/24 Q1 on 15/07/2023 with evidence "attendance"      | not raised |
      | £2,000.00 | has reported no outcomes                                                      | not raised |

  Scenario Outline: EVD003 a grantee's monitoring report is overdue
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And grantees must send a monitoring report every 30 days
    And a line "Fearon Hall youth club" allocated £2,000.00 starting on 01/09/2023
    And "Fearon Hall youth club" sent a monitoring report on <sent>
    When the rules are checked as at 15/11/2023
    Then EVD003 is <verdict>

    @breach
    Examples: the last report is more than a month and a week old
      | sent       | verdict |
      | 01/10/2023 | raised  |
      | 08/10/2023 | raised  |

    @within_tolerance
    Examples: reported within the month, or within a week's grace
      | sent       | verdict    |
      | 20/10/2023 | not raised |
      | 09/10/2023 | not raised |
