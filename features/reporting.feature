Feature: Returns to the funder, and funding coming to an end
  As the Community Safety Manager
  I want to know which returns are due or late, which cannot yet be signed off, and what money is ending
  So that the OPCC gets its financial profile on time and nothing ends without a decision

  Scenario Outline: RPT001 a return is due soon, or late
    Given Charnwood's SS5 fund of £300,000.00 running from 01/04/2023 to 31/03/2025
    And the fund's returns are quarterly
    And the 2023/24 Q1 return was submitted on 20/07/2023
    And the 2023/24 Q2 return <q2>
    When the rules are checked as at <as_at>
    Then RPT001 is <verdict>

    @breach
    Examples: the Q2 return is late, or due within 30 days
      | q2          | as_at      | verdict |
      | is in draft | 12/11/2023 | raised  |
      | is in draft | 15/10/2023 | raised  |

    @within_tolerance
    Examples: submitted, or not due for more than 30 days
      | q2                           | as_at      | verdict    |
      | was submitted on 25/10/2023  | 12/11/2023 | not raised |
      | is in draft                  | 30/09/2023 | not raised |

  Scenario: the Q2 return is 12 days late
    Given Charnwood's SS5 fund of £300,000.00 running from 01/04/2023 to 31/03/2025
    And the fund's returns are quarterly
    And the 2023/24 Q1 return was submitted on 20/07/2023
    And the 2023/24 Q2 return is in draft
    When the rules are checked as at 12/11/2023
    Then the RPT001 finding says "The 2023/24 Q2 return was due on 31 Oct 2023 and is 12 days late"
    And the RPT001 finding is an error

  Scenario: the OPCC's six-monthly profile for H1 is due on 31 October
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    When the rules are checked as at 26/10/2017
    Then the RPT001 finding says "The 2017/18 H1 return is due on 31 Oct 2017, in 5 days"
    And the RPT001 finding is a warning

  Scenario Outline: RPT002 a return cannot be finalised while errors remain
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £3,000.00 for priority "SP2"
    And <paid> was paid to "Street Pastors" on 15/09/2023
    And the 2023/24 H1 return is in draft
    When the rules are checked as at 01/10/2023
    Then RPT002 is <verdict>

    @breach
    Examples: an overspent line holds up the H1 return
      | paid      | verdict |
      | £3,500.00 | raised  |

    @within_tolerance
    Examples: no errors in the fund
      | paid      | verdict    |
      | £2,500.00 | not raised |

  Scenario: RPT002 names what holds the return up
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £3,000.00 for priority "SP2"
    And £3,500.00 was paid to "Street Pastors" on 15/09/2023
    And the 2023/24 H1 return is in draft
    When the rules are checked as at 01/10/2023
    Then the RPT002 finding says "cannot be finalised: 1 error finding(s) remain (SPD001)"

  Scenario Outline: RPT003 a funded post ends soon with money unspent or no decision on its future
    Given Charnwood's DAA fund for 2023/24 of £34,000.00
    And a line "Domestic Abuse Link Worker" allocated £34,000.00
    And "Domestic Abuse Link Worker" ends on 31/03/2024
    And <paid> was paid to "Domestic Abuse Link Worker" on 15/01/2024
    And <decision>
    When the rules are checked as at <as_at>
    Then RPT003 is <verdict>

    @breach
    Examples: ending within 90 days, money left or no decision
      | paid       | decision                                                      | as_at      | verdict |
      | £30,000.00 | it is decided that "Domestic Abuse Link Worker" continues     | 15/02/2024 | raised  |
      | £34,000.00 | nothing is decided about "Domestic Abuse Link Worker"         | 15/02/2024 | raised  |

    @within_tolerance
    Examples: spent and decided, or more than 90 days off
      | paid       | decision                                                      | as_at      | verdict    |
      | £34,000.00 | it is decided that "Domestic Abuse Link Worker" continues     | 15/02/2024 | not raised |
      | £30,000.00 | nothing is decided about "Domestic Abuse Link Worker"         | 20/12/2023 | not raised |
