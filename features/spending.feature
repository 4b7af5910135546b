Feature: Spending against budget lines
  As the Community Safety Manager
  I want to know when spend breaks what was allocated or what the grant allows
  So that no line overspends, no money crosses years, and match and splits are honoured

  Scenario Outline: SPD001 a line has spent more than it was allocated
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Street Pastors" allocated £3,000.00
    And <paid> was paid to "Street Pastors" on 15/09/2017
    And <refunded> was refunded by "Street Pastors" on 20/09/2017
    When the rules are checked as at 26/10/2017
    Then SPD001 is <verdict>

    @breach
    Examples: more paid out than allocated
      | paid      | refunded | verdict |
      | £3,000.01 | £0.00    | raised  |
      | £3,500.00 | £200.00  | raised  |

    @within_tolerance
    Examples: spent up to the allocation, refunds taken off
      | paid      | refunded | verdict    |
      | £3,000.00 | £0.00    | not raised |
      | £3,400.00 | £400.00  | not raised |

  Scenario: SPD001 gives the overspend to the penny
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Anstey Youth Café" allocated £1,500.00
    And £1,680.44 was paid to "Anstey Youth Café" on 15/09/2017
    When the rules are checked as at 26/10/2017
    Then the SPD001 finding says "overspent by £180.44"

  Scenario Outline: SPD002 money spent outside the grant period
    Given Charnwood's SS4 fund of £150,000.00 running from 01/04/2023 to 31/03/2024
    And a line "Alley gates, Shelthorpe" allocated £20,000.00
    And £5,000.00 was paid to "Alley gates, Shelthorpe" on <paid_on>
    When the rules are checked as at 30/04/2024
    Then SPD002 is <verdict>

    @breach
    Examples: paid before the grant started or after it ended
      | paid_on    | verdict |
      | 02/04/2024 | raised  |
      | 15/03/2023 | raised  |

    @within_tolerance
    Examples: paid within the grant period
      | paid_on    | verdict    |
      | 31/03/2024 | not raised |
      | 01/04/2023 | not raised |

  Scenario Outline: SPD003 more capital spend than the grant allows
    Given Charnwood's SS5 fund for 2023/24 of £20,000.00
    And the fund allows at most 25% of its money to be spent on capital
    And a capital line "CCTV cameras" allocated £8,000.00
    And <paid> was paid to "CCTV cameras" on 15/09/2023
    When the rules are checked as at 01/10/2023
    Then SPD003 is <verdict>

    @breach
    Examples: over a quarter of the fund on capital
      | paid      | verdict |
      | £5,000.01 | raised  |
      | £7,500.00 | raised  |

    @within_tolerance
    Examples: within the capital share
      | paid      | verdict    |
      | £5,000.00 | not raised |
      | £1,200.00 | not raised |

  Scenario Outline: SPD004 the match funding falls short of the required share
    Given Charnwood's SS4 fund for 2023/24 of £100,000.00
    And the fund requires a 50% match
    And a line "Target hardening" allocated £20,000.00
    And £6,000.00 was paid to "Target hardening" on 15/06/2023
    And a cash match of £1,500.00 was given on 20/06/2023
    And <hours> officer hours at £30.00 an hour were given as match on 30/06/2023
    When the rules are checked as at 01/07/2023
    Then SPD004 is <verdict>

    @breach
    Examples: not enough cash and officer time to match half the grant spent
      | hours | verdict |
      | 49    | raised  |
      | 0     | raised  |

    @within_tolerance
    Examples: the match covers half the grant spent
      | hours | verdict    |
      | 50    | not raised |
      | 80.5  | not raised |

  Scenario Outline: SPD005 the same work charged to two funds
    Given Charnwood's DAA fund for 2023/24 of £34,000.00
    And a line "Domestic Abuse Link Worker" allocated £30,000.00 run by "Living Without Abuse"
    And Charnwood's PLF fund for 2023/24 of £60,000.00
    And a line "<second>" allocated £5,000.00 run by "Living Without Abuse"
    And the PLF line "<second>" has the note "<note>"
    When the rules are checked as at 01/10/2023
    Then SPD005 is <verdict>

    @breach
    Examples: no split recorded between the DA Act money and the Locality Fund
      | second                     | note                  | verdict |
      | Domestic Abuse Link Worker |                       | raised  |
      | Domestic abuse link-worker | top up for Q4         | raised  |

    @within_tolerance
    Examples: a different purpose, or the split written down
      | second                     | note                    | verdict    |
      | Refuge places              |                         | not raised |
      | Domestic Abuse Link Worker | split 85/15 with DAA    | not raised |
