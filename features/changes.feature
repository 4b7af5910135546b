Feature: Moving money between budget lines
  As the Community Safety Manager
  I want every significant virement to carry the Strategic Group's approval
  So that the agreed budget is only changed by the people who agreed it

  Scenario Outline: CHG001 money moved between lines without approval
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And <moved> was moved from "Mediation" to "Street Pastors" on 01/08/2023 <approval>
    When the rules are checked as at 01/09/2023
    Then CHG001 is <verdict>

    @breach
    Examples: more than 10% of the line moved with no approval recorded
      | moved     | approval                                         | verdict |
      | £1,000.01 | without approval                                 | raised  |
      | £4,000.00 | without approval                                 | raised  |

    @within_tolerance
    Examples: a small move, or approved by the Strategic Group
      | moved     | approval                                         | verdict    |
      | £1,000.00 | without approval                                 | not raised |
      | £4,000.00 | approved by the Strategic Group on 25/07/2023    | not raised |

  Scenario: the fund's own threshold replaces the 10% default
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And the fund lets up to 25% of a line move without approval
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £2,000.00 was moved from "Mediation" to "Street Pastors" on 01/08/2023 without approval
    When the rules are checked as at 01/09/2023
    Then CHG001 is not raised

  Scenario: each virement is judged against the line as it stood before it
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £10,000.00
    And a line "Street Pastors" allocated £5,000.00
    And £1,000.00 was moved from "Mediation" to "Street Pastors" on 01/08/2023 without approval
    And £950.00 was moved from "Mediation" to "Street Pastors" on 02/08/2023 without approval
    When the rules are checked as at 01/09/2023
    Then 1 CHG001 findings are raised
    And the CHG001 finding says "£950.00 moved on 2 Aug 2023 to 'Street Pastors' is 10.6% of the line's £9,000.00"
