Feature: Allocating a fund's money to budget lines
  As the Community Safety Manager
  I want to be told when allocations do not rest on real, agreed money and the fund's own rules
  So that the Strategic Group only commits money the partnership has, in the way the funder allows

  Scenario Outline: ALC001 the lines add up to more than the fund
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "To address transient student related ASB" allocated £70,000.00
    And a line "Mediation" allocated <mediation>
    When the rules are checked as at 26/10/2017
    Then ALC001 is <verdict>

    @breach
    Examples: more promised than the fund holds
      | mediation | verdict |
      | £5,500.01 | raised  |
      | £9,000.00 | raised  |

    @within_tolerance
    Examples: fully allocated, or less
      | mediation | verdict    |
      | £5,500.00 | not raised |
      | £1,000.00 | not raised |

  Scenario: ALC001 says how far over the fund is
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Street Pastors" allocated £79,000.00
    When the rules are checked as at 26/10/2017
    Then the ALC001 finding says "over-allocated by £3,500.00"
    And the ALC001 finding is an error

  Scenario Outline: ALC002 money is still unallocated after the end of Q1
    Given Charnwood's PLF fund for 2023/24 of £50,000.00
    And a line "Street Pastors" allocated <allocated>
    When the rules are checked as at <as_at>
    Then ALC002 is <verdict>

    @breach
    Examples: part of the fund still unallocated in July
      | allocated  | as_at      | verdict |
      | £45,000.00 | 01/07/2023 | raised  |
      | £0.00      | 15/10/2023 | raised  |

    @within_tolerance
    Examples: fully allocated, or still within Q1
      | allocated  | as_at      | verdict    |
      | £50,000.00 | 01/07/2023 | not raised |
      | £45,000.00 | 30/06/2023 | not raised |

  Scenario Outline: ALC003 allocations rest on money that is not confirmed
    Given Charnwood's CI001 fund for 2017/18 of £15,000.00
    And the fund's amount is <status>
    And a line "Deter Young Offenders" allocated £10,000.00
    When the rules are checked as at 01/05/2017
    Then ALC003 is <verdict>

    @breach
    Examples: an indicative budget, an approximate amount or a bid not yet agreed
      | status          | verdict |
      | indicative      | raised  |
      | approximate     | raised  |
      | a submitted bid | raised  |

    @within_tolerance
    Examples: the money is confirmed
      | status         | verdict    |
      | confirmed      | not raised |
      | an approved bid| not raised |

  Scenario: an approximate receipt puts each allocation resting on it in doubt
    Given Charnwood's DAA fund for 2023/24 of £34,000.00
    And a receipt written as "circa £34K" arrived on 01/05/2023
    And a line "Domestic Abuse Link Worker" allocated £30,000.00
    And a line "Refuge places" allocated £4,000.00
    When the rules are checked as at 01/06/2023
    Then ALC003 is raised for "Domestic Abuse Link Worker"
    And ALC003 is raised for "Refuge places"
    And the ALC003 finding says "marked approximate"

  Scenario Outline: ALC004 a line has no strategic priority
    Given Charnwood's <fund> fund for 2023/24 of £10,000.00
    And a line "Mediation" allocated £5,000.00 for priority "<priority>"
    When the rules are checked as at 01/05/2023
    Then ALC004 is <verdict>

    @breach
    Examples: no priority recorded
      | fund | priority | verdict |
      | PLF  |          | raised  |
      | SS5  |          | raised  |

    @within_tolerance
    Examples: a priority from the CSP plan
      | fund | priority | verdict    |
      | PLF  | SP1      | not raised |
      | SS5  | SP3      | not raised |

  Scenario: a Locality Fund line without a priority is an error, elsewhere a warning
    Given Charnwood's PLF fund for 2023/24 of £10,000.00
    And a line "Mediation" allocated £5,000.00 for priority ""
    And Charnwood's SS5 fund for 2023/24 of £10,000.00
    And a line "Target hardening" allocated £5,000.00 for priority ""
    When the rules are checked as at 01/05/2023
    Then ALC004 is raised for "Mediation"
    And the ALC004 finding for "Mediation" is an error
    And the ALC004 finding for "Target hardening" is a warning

  Scenario Outline: ALC005 a grant bigger than the fund's cap
    Given Charnwood's CSF fund for 2023/24 of £40,000.00
    And the fund caps each grant at £10,000.00
    And a line "Youth boxing sessions" allocated <amount>
    When the rules are checked as at 15/10/2023
    Then ALC005 is <verdict>

    @breach
    Examples: over the £10k pot per application
      | amount     | verdict |
      | £10,000.01 | raised  |
      | £12,500.00 | raised  |

    @within_tolerance
    Examples: up to the cap
      | amount     | verdict    |
      | £10,000.00 | not raised |
      | £2,500.00  | not raised |

  Scenario Outline: People Zone grants serve the Bell Foundry estate under one of its four themes
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And the fund only pays for area "NL65" and the themes "Health & Wellbeing; Community Safety; Pride of Place; Celebrating the People"
    And a line "Gardening group" allocated £1,500.00 in area "<area>" with theme "<theme>"
    When the rules are checked as at 15/10/2023
    Then ALC005 is <verdict>

    @breach
    Examples: outside the beat or the themes
      | area    | theme              | verdict |
      | NL63    | Pride of Place     | raised  |
      | Beat 65 | Road safety        | raised  |

    @within_tolerance
    Examples: the beat however it is written, and a theme of the fund
      | area    | theme                  | verdict    |
      | NL65    | Pride of Place         | not raised |
      | Beat 65 | health and wellbeing   | not raised |
      | 65      | Celebrating the People | not raised |

  Scenario Outline: a blank area, theme or cohort is not recorded, not ineligible
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And the fund only pays for area "NL65" and the themes "Health & Wellbeing; Community Safety; Pride of Place; Celebrating the People"
    And a line "Gardening group" allocated £1,500.00 in area "<area>" with theme "<theme>"
    When the rules are checked as at 15/10/2023
    Then ALC005 is raised for "Gardening group"
    And the ALC005 finding for "Gardening group" is a warning
    And the ALC005 finding says "<words>"

    Examples: what is missing is named
      | area | theme          | words                                                                       |
      |      | Pride of Place | No area is recorded, so eligibility for this fund cannot be confirmed.      |
      | NL65 |                | No theme is recorded, so eligibility for this fund cannot be confirmed.     |
      |      |                | No area or theme is recorded, so eligibility for this fund cannot be confirmed. |

  Scenario: a line outside the beat with no theme recorded is ineligible, and says what is not recorded
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And the fund only pays for area "NL65" and the themes "Health & Wellbeing; Community Safety; Pride of Place; Celebrating the People"
    And a line "Gardening group" allocated £1,500.00 in area "NL63" with theme ""
    When the rules are checked as at 15/10/2023
    Then the ALC005 finding for "Gardening group" is an error
    And the ALC005 finding says "Not eligible for this fund: area 'NL63' is not one the fund covers. No theme is recorded"

  Scenario Outline: ALC006 a line has money but no recorded approval
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Mediation" allocated £5,000.00
    And "Mediation" <approval>
    When the rules are checked as at 01/06/2023
    Then ALC006 is <verdict>

    @breach
    Examples: nobody recorded agreeing it
      | approval                                    | verdict |
      | has no recorded approval                    | raised  |
      | was approved by the Strategic Group, undated | raised  |

    @within_tolerance
    Examples: agreed by the Strategic Group on a date
      | approval                                          | verdict    |
      | was approved by the Strategic Group on 12/05/2023 | not raised |

  # -- each kind of fund judged by its own conditions (its stream's defaults) --------------------
  Scenario: a People Zone grant is judged against its beat and theme, with no invented cap
    Given Charnwood's PZ-BF fund for 2023/24 of £35,000.00
    And the fund has its stream's default conditions
    And a line "Estate growing spaces (MTC Gardening Group)" allocated £7,200.00 in area "NL65" with theme "Pride of Place"
    When the rules are checked as at 15/10/2023
    Then ALC005 is not raised
    And ALC004 is not raised
    And PRF005 is not raised
    And PRF003 is not raised

  Scenario: a People Zone grant outside the beat is still ineligible
    Given Charnwood's PZ-BF fund for 2023/24 of £35,000.00
    And the fund has its stream's default conditions
    And a line "Shop front grants (Town Centre Traders)" allocated £4,500.00 in area "NL62" with theme "Business support"
    When the rules are checked as at 15/10/2023
    Then the ALC005 finding is an error
    And the ALC005 finding says "area 'NL62' is not one the fund covers"

  Scenario: an overspent People Zone grant is still raised
    Given Charnwood's PZ-BF fund for 2023/24 of £35,000.00
    And the fund has its stream's default conditions
    And a line "Community celebration day (10th Loughborough Brownies)" allocated £1,200.00 in area "NL65" with theme "Celebrating the People"
    And £1,500.00 was paid to "Community celebration day (10th Loughborough Brownies)" on 01/08/2023
    When the rules are checked as at 15/10/2023
    Then SPD001 is raised for "Community celebration day (10th Loughborough Brownies)"

  Scenario: a People Zone fund keeps money for a round still to come
    Given Charnwood's PZ-BF fund for 2023/24 of £35,000.00
    And the fund has its stream's default conditions
    And a line "Community celebration day (10th Loughborough Brownies)" allocated £1,200.00 in area "NL65" with theme "Celebrating the People"
    And round 2 of the fund runs from 08/01/2024 to 05/02/2024
    When the rules are checked as at 15/10/2023
    Then ALC002 is not raised

  Scenario: with no round to come, unallocated money is still raised
    Given Charnwood's PZ-BF fund for 2023/24 of £35,000.00
    And the fund has its stream's default conditions
    And a line "Community celebration day (10th Loughborough Brownies)" allocated £1,200.00 in area "NL65" with theme "Celebrating the People"
    And round 1 of the fund runs from 21/08/2023 to 18/09/2023
    When the rules are checked as at 15/10/2023
    Then ALC002 is raised

  Scenario: a Locality Fund line needs a priority and a profile
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And the fund has its stream's default conditions
    And a line "Mediation" allocated £5,000.00 for priority ""
    When the rules are checked as at 15/10/2023
    Then the ALC004 finding is an error
    And PRF005 is raised for "Mediation"
    And PRF003 is raised for "Mediation"

  Scenario: a Locality Fund line of a year before the priorities were set is a warning, not an error
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And the fund has its stream's default conditions
    And a line "Mediation" allocated £5,000.00 for priority ""
    When the rules are checked as at 26/10/2017
    Then the ALC004 finding for "Mediation" is a warning

  Scenario Outline: only the conditions the sources give
    Given Charnwood's <fund> fund for 2023/24 of £10,000.00
    And the fund has its stream's default conditions
    Then the fund's <condition> is <value>

    Examples:
      | fund  | condition      | value                |
      | PZ-BF | per_grant_cap  | not set              |
      | PZ-BF | eligible_areas | NL65                 |
      | CSF   | per_grant_cap  | 10000.00             |
      | SS4   | match_share    | 0.5                  |
      | SS5   | match_share    | not set              |
      | SS5   | return_cadence | quarterly            |
      | DAA   | per_grant_cap  | not set              |
