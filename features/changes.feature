Feature: Moving money between budget lines
  As the Community Safety Manager
  I want a virement to move money only once the Strategic Group has approved it
  So that the agreed budget is only changed by the people who agreed it

  Scenario Outline: CHG001 a virement waits for the Strategic Group's decision
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £4,000.00 was <decision>
    When the rules are checked as at 01/09/2023
    Then CHG001 is <verdict>

    @breach
    Examples: proposed and not yet decided
      | decision                                                                                   | verdict |
      | proposed to move from "Mediation" to "Street Pastors" on 01/08/2023                        | raised  |

    @within_tolerance
    Examples: decided by the Strategic Group
      | decision                                                                                                     | verdict    |
      | moved from "Mediation" to "Street Pastors" on 01/08/2023 approved by the Strategic Group on 25/08/2023     | not raised |
      | proposed to move from "Mediation" to "Street Pastors" on 01/08/2023 and rejected on 20/08/2023             | not raised |

  Scenario Outline: a pending virement beyond the threshold is an error, within it a warning
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And <moved> was proposed to move from "Mediation" to "Street Pastors" on 01/08/2023
    When the rules are checked as at 01/09/2023
    Then the CHG001 finding is <severity>

    Examples:
      | moved     | severity  |
      | £1,000.01 | an error  |
      | £4,000.00 | an error  |
      | £1,000.00 | a warning |

  Scenario: a proposed virement moves no money
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £4,000.00 was proposed to move from "Mediation" to "Street Pastors" on 01/08/2023
    When the rules are checked as at 01/09/2023
    Then the CHG001 finding says "of the line's £10,000.00 would move, over the threshold"

  Scenario: a virement approved after the check's date was still waiting on that date
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £4,000.00 was moved from "Mediation" to "Street Pastors" on 01/08/2023 approved by the Strategic Group on 25/09/2023
    When the rules are checked as at 01/09/2023
    Then CHG001 is raised

  Scenario: the fund's own threshold replaces the 10% default
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And the fund lets up to 25% of a line move without approval
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £2,000.00 was proposed to move from "Mediation" to "Street Pastors" on 01/08/2023
    When the rules are checked as at 01/09/2023
    Then the CHG001 finding is a warning

  Scenario: the threshold judges everything moving out of a line, so a large move cannot be split
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £600.00 was moved from "Mediation" to "Street Pastors" on 01/08/2023 approved by the Strategic Group on 02/08/2023
    And £600.00 was proposed to move from "Mediation" to "Street Pastors" on 03/08/2023
    When the rules are checked as at 01/09/2023
    Then 1 CHG001 findings are raised
    And the CHG001 finding says "with it, 12.0% of the line's £10,000.00 would move, over the threshold"
