Feature: Sending a submitted return to the funder as a package
  As the Community Safety Manager and the OPCC's commissioning officer
  We want a submitted return sent as one file that the OPCC's tracker checks and files
  So that the OPCC sees each partnership's returns side by side, exactly as they were signed off

  Background:
    Given Charnwood's PLF 2026/27 H1 return has been submitted
    And the OPCC's tracker, where the commissioning officer has an account

  Scenario: the OPCC receives a return and sees it in its county view
    When the manager exports the H1 return as a package
    And the commissioning officer receives the package
    Then the OPCC's county view for 2026/27 lists Charnwood's PLF 2026/27 H1 return, version 1
    And it shows £35,050.00 spent of £75,000.00 allocated, with 1 red line

  Scenario: a package altered after it was exported is refused and nothing is stored
    When the manager exports the H1 return as a package
    And someone changes one byte of the PDF in the package
    And the commissioning officer receives the package
    Then it is refused, saying "return.pdf: is damaged"
    And the OPCC's tracker holds no received return

  Scenario: the same return cannot be received twice
    When the manager exports the H1 return as a package
    And the commissioning officer receives the package
    And the commissioning officer receives the package
    Then it is refused, saying "was already received"
