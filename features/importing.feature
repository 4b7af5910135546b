Feature: Importing the tables the papers print
  As the Community Safety Manager
  I want to load the budget tables and action plans as the meeting papers print them
  So that I do not retype them, and a wrong cell never half-loads a file

  Scenario: A fund heading row is the fund's receipt, not a bad line
    Given a sheet "Youth Prevention and Diversion" whose first row is the fund with "£15,000 approx" under Funding Received
    When the file is imported for Charnwood for 2017/18 without naming a fund
    Then CI001 has received £15,000.00, marked approximate
    And CI001's lines add up to £15,000.00 allocated, £3,430.94 spent and £11,569.06 balance

  Scenario: Several funds in one workbook import in one go, each to its fund
    Given a sheet "PLF" holding the Partnership Locality Fund table as printed in October 2017
    And a sheet "Youth Prevention and Diversion" whose first row is the fund with "£15,000 approx" under Funding Received
    When the file is imported for Charnwood for 2017/18 without naming a fund
    Then PLF's lines add up to £75,500.00 allocated, £32,533.00 spent and £42,967.00 balance
    And CI001's lines add up to £15,000.00 allocated, £3,430.94 spent and £11,569.06 balance

  Scenario: A bad cell in any fund refuses the whole file
    Given a sheet "PLF" holding the Partnership Locality Fund table as printed in October 2017
    And a sheet "Youth Prevention and Diversion" whose first row is the fund with "£15,000 approx" under Funding Received
    And the cell in row 4, column "Amount Spent to Date" of sheet "Youth Prevention and Diversion" reads "£1,18O.44"
    When the file is imported for Charnwood for 2017/18 without naming a fund
    Then the import is refused: row 4, column "Amount Spent to Date", "'£1,18O.44' is not an amount in pounds (sheet 'Youth Prevention and Diversion')"
    And nothing was written

  Scenario Outline: An action plan's cost is money, an in-kind note or no allocation
    Given an action plan with the key action "<action>" costing "<cost>"
    When the plan is imported into Charnwood's PLF fund for 2017/18
    Then "<action>" is allocated <allocated>
    And its note reads "<note>"

    Examples:
      | action                          | cost                | allocated | note                            |
      | Diversionary sports sessions    | £1000               | £1,000.00 |                                 |
      | Youth outreach in the town      | Officer time £5,000 | £0.00     | In kind: Officer time £5,000    |
      | Multi-agency problem solving    | Ongoing             | £0.00     |                                 |

  Scenario: An action plan's target and measure are the line's outcome target
    Given an action plan with the key action "Youth outreach" targeting "Reduce youth ASB in NL62 by 10%" measured by "Police ASB incidents"
    When the plan is imported into Charnwood's PLF fund for 2017/18
    Then "Youth outreach" has the outcome target "Reduce youth ASB in NL62 by 10%" measured by "Police ASB incidents"
