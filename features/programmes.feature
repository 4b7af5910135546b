Feature: Conditions the funder sets once for its whole programme
  As the Community Safety Manager
  I want the conditions the OPCC sets for its programme to reach my fund without anyone retyping them
  And any change to my own fund's conditions to be agreed by the Strategic Group first
  So that the checks always judge our lines against the conditions actually in force

  Background:
    Given the OPCC's Partnership Locality Fund programme for 2026/27 caps each grant at £10,000.00
    And Charnwood's PLF fund for 2026/27 is in the programme with a line "Youth diversion sessions" allocated £8,000.00
    And Melton's PLF fund for 2026/27 is in the programme with a line "Melton youth club" allocated £8,000.00

  Scenario: A lower cap set by the OPCC reaches every fund in the programme
    When the OPCC's officer lowers the programme's cap to £5,000.00
    Then Charnwood's fund caps each grant at £5,000.00
    And Melton's fund caps each grant at £5,000.00
    And the next check finds "Youth diversion sessions" over Charnwood's cap
    And the Funds page says Charnwood's cap comes from "programme Partnership Locality Fund 2026/27 (Office of the Police and Crime Commissioner)"

  Scenario: A fund that overrides the cap keeps its own cap
    Given Melton's manager proposed a cap of £12,000.00 because "Agreed with the OPCC for the youth club"
    And a Strategic Group member approved it
    When the OPCC's officer lowers the programme's cap to £5,000.00
    Then Melton's fund caps each grant at £12,000.00
    And the next check finds nothing over Melton's cap
    And Charnwood's fund caps each grant at £5,000.00
    And the Funds page says Melton's cap comes from "override: Agreed with the OPCC for the youth club — proposed by melton-manager, approved by sam on 01/09/2026"

  Scenario: A manager's change of conditions waits for the Strategic Group
    When Charnwood's manager proposes a cap of £6,000.00 because "Smaller grants this year"
    Then Charnwood's fund caps each grant at £10,000.00
    And the next check finds nothing over Charnwood's cap
    And one change of conditions is waiting for the Strategic Group
    When a Strategic Group member approves it
    Then Charnwood's fund caps each grant at £6,000.00
    And the next check finds "Youth diversion sessions" over Charnwood's cap
    And no change of conditions is waiting for the Strategic Group

  Scenario: Nobody decides a change they proposed
    When the local operator proposes a cap of £6,000.00 for Charnwood because "Smaller grants this year"
    And the local operator tries to approve it
    Then they are told "proposed this change of conditions and cannot decide it too"
    And Charnwood's fund caps each grant at £10,000.00

  Scenario: A rejected change changes nothing
    When Charnwood's manager proposes a cap of £6,000.00 because "Smaller grants this year"
    And a Strategic Group member rejects it because "The OPCC's cap stands"
    Then Charnwood's fund caps each grant at £10,000.00
    And no change of conditions is waiting for the Strategic Group

  Scenario Outline: Only the programme's funder, or a funder above it, sets its conditions
    When <who> tries to lower the programme's cap to £5,000.00
    Then they are told "<answer>"
    And Charnwood's fund caps each grant at £10,000.00

    Examples:
      | who                                      | answer                                              |
      | Charnwood's manager                      | only the funder sets a programme's conditions       |
      | a Strategic Group member                 | only the funder sets a programme's conditions       |
      | an officer of another funder             | does not work for Office of the Police and Crime Commissioner |

  Scenario: The Home Office, whose money the OPCC passes on, may set the OPCC's programme
    When the Home Office's officer lowers the programme's cap to £5,000.00
    Then Charnwood's fund caps each grant at £5,000.00

  Scenario: The funder's officer changes no partnership's ledger
    When the OPCC's officer tries to change the allocation of "Youth diversion sessions" to £4,000.00
    Then they are told "can only read the ledger"
